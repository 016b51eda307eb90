using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Contacts_Emails",
                table: "Contacts",
                column: "Emails");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_PhoneNumbers",
                table: "Contacts",
                column: "PhoneNumbers");

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
