using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PendingWorkIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboundEnvelopes_ConnectionId_ConversationKey_Status",
                table: "InboundEnvelopes");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Pending",
                table: "OutboxMessages",
                column: "Id",
                filter: "\"Status\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEnvelopes_Pending",
                table: "InboundEnvelopes",
                column: "Id",
                filter: "\"Status\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEnvelopes_PendingByConversation",
                table: "InboundEnvelopes",
                columns: new[] { "ConnectionId", "ConversationKey", "Id" },
                filter: "\"Status\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Pending",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_InboundEnvelopes_Pending",
                table: "InboundEnvelopes");

            migrationBuilder.DropIndex(
                name: "IX_InboundEnvelopes_PendingByConversation",
                table: "InboundEnvelopes");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEnvelopes_ConnectionId_ConversationKey_Status",
                table: "InboundEnvelopes",
                columns: new[] { "ConnectionId", "ConversationKey", "Status" });
        }
    }
}
