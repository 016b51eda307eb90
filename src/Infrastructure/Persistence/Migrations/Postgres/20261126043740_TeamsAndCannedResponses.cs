using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TeamsAndCannedResponses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CannedResponses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ShortCode = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CannedResponses", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CannedResponses_WorkspaceId",
                table: "CannedResponses",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_CannedResponses_WorkspaceId_ShortCode",
                table: "CannedResponses",
                columns: new[] { "WorkspaceId", "ShortCode" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CannedResponses");
        }
    }
}
