using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContactNameKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId_DisplayName",
                table: "Contacts");

            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "Contacts",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // Contacts that exist already get their key from the name (new ones get it from the domain).
            migrationBuilder.Sql("UPDATE \"Contacts\" SET \"NameKey\" = lower(\"DisplayName\");");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId_NameKey_Id",
                table: "Contacts",
                columns: new[] { "WorkspaceId", "NameKey", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId_NameKey_Id",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "Contacts");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId_DisplayName",
                table: "Contacts",
                columns: new[] { "WorkspaceId", "DisplayName" });
        }
    }
}
