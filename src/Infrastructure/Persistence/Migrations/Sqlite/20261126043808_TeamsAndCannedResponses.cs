using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ShortCode = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false)
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
