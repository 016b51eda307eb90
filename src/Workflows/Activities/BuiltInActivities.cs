using OneInbox.Workflows.Compilation;

namespace OneInbox.Workflows.Activities;

public static class BuiltInActivities
{
    public static IReadOnlyList<Activity> All { get; } =
    [
        new SendMessageActivity(), new SendTemplateActivity(), new AskQuestionActivity(), new AskRatingActivity(), new DecisionActivity(), new SwitchActivity(),
        new SetVariableActivity(), new SetContactAttributeActivity(), new AddTagActivity(), new RemoveTagActivity(),
        new AssignToTeamActivity(), new AssignToAgentActivity(), new HandOffActivity(), new RequestReviewActivity(), new PrivacyRequestActivity(), new AddNoteActivity(),
        new SetPriorityActivity(), new ResolveConversationActivity(), new DelayActivity(), new BusinessHoursActivity(),
        new HttpRequestActivity(), new EndActivity(),
    ];

    public static ActivityCatalog Catalog() => new(All);
}
