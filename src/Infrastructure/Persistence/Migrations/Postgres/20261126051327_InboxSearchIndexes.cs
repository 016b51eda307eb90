using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboxSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Name-prefix search compares lower("DisplayName") with LIKE 'prefix%'; EF cannot model an expression
            // index, and text_pattern_ops makes the prefix match indexable whatever the database's collation.
            migrationBuilder.Sql("CREATE INDEX \"IX_Contacts_WorkspaceId_LowerDisplayName\" ON \"Contacts\" (\"WorkspaceId\", lower(\"DisplayName\") text_pattern_ops);");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_Emails",
                table: "Contacts",
                column: "Emails")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_PhoneNumbers",
                table: "Contacts",
                column: "PhoneNumbers")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelIdentities_WorkspaceId_ExternalId",
                table: "ChannelIdentities",
                columns: new[] { "WorkspaceId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_ChannelIdentities_WorkspaceId_Username",
                table: "ChannelIdentities",
                columns: new[] { "WorkspaceId", "Username" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Contacts_WorkspaceId_LowerDisplayName\";");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_Emails",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_PhoneNumbers",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_ChannelIdentities_WorkspaceId_ExternalId",
                table: "ChannelIdentities");

            migrationBuilder.DropIndex(
                name: "IX_ChannelIdentities_WorkspaceId_Username",
                table: "ChannelIdentities");
        }
    }
}
