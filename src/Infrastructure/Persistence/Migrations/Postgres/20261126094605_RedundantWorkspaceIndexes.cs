using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OneInbox.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RedundantWorkspaceIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Teams_WorkspaceId",
                table: "Teams");

            migrationBuilder.DropIndex(
                name: "IX_Members_WorkspaceId",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_FlowTriggers_WorkspaceId",
                table: "FlowTriggers");

            migrationBuilder.DropIndex(
                name: "IX_FlowInstances_WorkspaceId",
                table: "FlowInstances");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_WorkspaceId",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_WorkspaceId",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_ChannelIdentities_WorkspaceId",
                table: "ChannelIdentities");

            migrationBuilder.DropIndex(
                name: "IX_CannedResponses_WorkspaceId",
                table: "CannedResponses");

            migrationBuilder.DropIndex(
                name: "IX_AttributeDefinitions_WorkspaceId",
                table: "AttributeDefinitions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Teams_WorkspaceId",
                table: "Teams",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_Members_WorkspaceId",
                table: "Members",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_FlowTriggers_WorkspaceId",
                table: "FlowTriggers",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_FlowInstances_WorkspaceId",
                table: "FlowInstances",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_WorkspaceId",
                table: "Conversations",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_WorkspaceId",
                table: "Contacts",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelIdentities_WorkspaceId",
                table: "ChannelIdentities",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_CannedResponses_WorkspaceId",
                table: "CannedResponses",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_AttributeDefinitions_WorkspaceId",
                table: "AttributeDefinitions",
                column: "WorkspaceId");
        }
    }
}
