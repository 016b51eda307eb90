using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Postgres
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
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "",
                collation: "C");

            // Contacts that exist already get their key from the name (new ones get it from the domain).
            migrationBuilder.Sql("UPDATE \"Contacts\" SET \"NameKey\" = lower(\"DisplayName\");");
            // The name key index answers prefix search and name order; the expression index it replaces goes.
            migrationBuilder.Sql("DROP INDEX IF EXISTS \"IX_Contacts_WorkspaceId_LowerDisplayName\";");

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

            migrationBuilder.Sql("CREATE INDEX \"IX_Contacts_WorkspaceId_LowerDisplayName\" ON \"Contacts\" (\"WorkspaceId\", lower(\"DisplayName\") text_pattern_ops);");

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
