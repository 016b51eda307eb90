using System.Linq.Expressions;
using Mediator;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneInbox.Application.Common;
using OneInbox.Domain.Channels;
using OneInbox.Domain.Common;
using OneInbox.Domain.CannedResponses;
using OneInbox.Domain.Contacts;
using OneInbox.Domain.Flows;
using OneInbox.Domain.Conversations;
using OneInbox.Domain.Identity;
using OneInbox.Domain.Privacy;
using OneInbox.Domain.Reviews;
using OneInbox.Domain.Teams;
using OneInbox.Domain.Reports;
using OneInbox.Domain.Workspaces;
using OneInbox.Infrastructure.Identity;
using OneInbox.Infrastructure.Security;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// The one EF Core model of OneInbox. Provider-specific subclasses exist only so that each provider keeps
/// its own migrations; the model itself is shared.
/// </summary>
public abstract class OneInboxDbContext : IdentityUserContext<OneInboxUser, Guid>, IOneInboxDb
{
    private const int MaxEventRounds = 10;

    private readonly TrackedRows _tracked;

    // Until the context is lent to a scope (Lend): an empty workspace, whose filters match no row, and no publisher.
    private WorkspaceContext _workspace = new();
    private IPublisher? _publisher;

    protected OneInboxDbContext(DbContextOptions options) : base(options)
    {
        _tracked = new TrackedRows(ChangeTracker);
    }

    /// <summary>
    /// Contexts are pooled (ADR 0024): creating one cost 45-50 µs of processor time, for every inbound round, outbox unit,
    /// claim and API request. A context taken from the pool serves one scope, with that scope's workspace and publisher;
    /// EF has already reset its own state (tracked rows, transaction, connection), and what this class keeps beside it is
    /// reset here: per-scope state added to this class must be reset in <see cref="Serve"/>.
    /// The scope holds the context through EF's scoped lease (<c>AddDbContextPool</c>), which alone gives it back when the
    /// scope ends. The container also disposes the context once for every registration that handed it out (this class and
    /// <see cref="IOneInboxDb"/>); under the lease those calls change nothing. A context made by the pooled factory instead
    /// went back to the pool on the first of them, and the second could give it back again while another scope had already
    /// taken it: that scope then failed on a disposed context, or shared it with a third.
    /// </summary>
    internal static TContext Lend<TContext>(IServiceProvider scope) where TContext : OneInboxDbContext
    {
        var db = scope.GetRequiredService<TContext>();
        db.Serve(scope.GetRequiredService<WorkspaceContext>(), scope.GetRequiredService<IPublisher>());
        return db;
    }

    /// <summary>From now on the context works in this workspace and publishes its domain events here.</summary>
    internal void Serve(WorkspaceContext workspace, IPublisher publisher)
    {
        _workspace = workspace;
        _publisher = publisher;
        _tracked.Clear();
        _writesDeferred = false;
        // Handlers of the last scope (its real-time events) must not hear of this scope's commits, nor keep that scope alive.
        Committed = null;
        Failed = null;
    }

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<Contact> Contacts => Set<Contact>();

    public DbSet<ChannelIdentity> ChannelIdentities => Set<ChannelIdentity>();

    public DbSet<ContactNote> ContactNotes => Set<ContactNote>();

    public DbSet<AttributeDefinition> AttributeDefinitions => Set<AttributeDefinition>();

    public DbSet<Conversation> Conversations => Set<Conversation>();

    public DbSet<Message> Messages => Set<Message>();

    public DbSet<ConversationReadMark> ConversationReadMarks => Set<ConversationReadMark>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();
    public DbSet<ChannelConnection> ChannelConnections => Set<ChannelConnection>();

    public DbSet<InboundEnvelope> InboundEnvelopes => Set<InboundEnvelope>();

    /// <summary>The installation's cipher for encrypted columns; null at design time (migrations need no keys).</summary>
    internal IFieldCipher? FieldCipher => ApplicationService<IFieldCipher>();

    /// <summary>The store of contacts' own keys; null at design time.</summary>
    internal ContactKeyStore? ContactKeys => ApplicationService<ContactKeyStore>();

    private T? ApplicationService<T>() where T : class =>
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(T)) as T;

    public DbSet<WorkspaceMember> Members => Set<WorkspaceMember>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<IntegrationClient> IntegrationClients => Set<IntegrationClient>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<FlowDefinition> Flows => Set<FlowDefinition>();

    public DbSet<FlowVersion> FlowVersions => Set<FlowVersion>();

    public DbSet<FlowTrigger> FlowTriggers => Set<FlowTrigger>();

    public DbSet<FlowInstance> FlowInstances => Set<FlowInstance>();

    public DbSet<FlowJournalEntry> FlowJournal => Set<FlowJournalEntry>();

    public DbSet<FlowIncident> FlowIncidents => Set<FlowIncident>();

    public DbSet<FlowTimer> FlowTimers => Set<FlowTimer>();

    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();

    public DbSet<PrivacyRequest> PrivacyRequests => Set<PrivacyRequest>();

    public DbSet<PrivacySettings> PrivacySettings => Set<PrivacySettings>();

    public DbSet<PrivacyExport> PrivacyExports => Set<PrivacyExport>();

    public DbSet<RetentionSettings> RetentionSettings => Set<RetentionSettings>();

    public DbSet<ReportDelta> ReportDeltas => Set<ReportDelta>();

    public DbSet<ReportHour> ReportHours => Set<ReportHour>();

    public DbSet<ReportDuration> ReportDurations => Set<ReportDuration>();

    public DbSet<FlowReportDelta> FlowReportDeltas => Set<FlowReportDelta>();

    public DbSet<FlowReportHour> FlowReportHours => Set<FlowReportHour>();

    public DbSet<ReportEpoch> ReportEpochs => Set<ReportEpoch>();

    public DbSet<ReportBackfill> ReportBackfills => Set<ReportBackfill>();

    public DbSet<ReviewCase> ReviewCases => Set<ReviewCase>();

    public DbSet<ReviewSettings> ReviewSettings => Set<ReviewSettings>();

    /// <summary>The workspace every tenant filter compares with; read per query, so one model serves all tenants.</summary>
    internal Guid CurrentWorkspaceId => _workspace.FilterId;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseOpenIddict();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OneInboxDbContext).Assembly);
        modelBuilder.ApplyEncryption(FieldCipher);

        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            if (entityType.BaseType is null && typeof(ITenantOwned).IsAssignableFrom(entityType.ClrType))
            {
                modelBuilder.Entity(entityType.ClrType).HasQueryFilter(TenantFilter(entityType.ClrType));
                // Every query of a tenant table filters by workspace; an index that already leads with the
                // workspace serves that, and another one would only cost each insert (hot on the inbound path).
                if (!entityType.GetIndexes().Any(i => i.Properties[0].Name == nameof(ITenantOwned.WorkspaceId)))
                    modelBuilder.Entity(entityType.ClrType).HasIndex(nameof(ITenantOwned.WorkspaceId));
            }
        }
    }

    private LambdaExpression TenantFilter(Type type)
    {
        var row = Expression.Parameter(type, "row");
        var rowWorkspace = Expression.Property(Expression.Convert(row, typeof(ITenantOwned)), nameof(ITenantOwned.WorkspaceId));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId));
        return Expression.Lambda(Expression.Equal(rowWorkspace, current), row);
    }

    /// <summary>
    /// One scan for changes per save: the model has no navigations, so every row is added explicitly and
    /// finding the rows with domain events needs no scan; the scan runs once, after the handlers changed what
    /// they change, and the tenant stamp and EF's save then use it. (A scan per step cost a pass over every
    /// tracked row four times per save; in a batched unit of work that grows with the square of its size.)
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await DispatchDomainEventsAsync(cancellationToken);
        if (_writesDeferred)
            return 0;
        ChangeTracker.DetectChanges();
        using (PauseChangeScans())
        {
            if (FieldCipher is not null)
                await this.BindContactKeysAsync(cancellationToken);
            Reports.ReportStaging.Stage(this);
            StampTenant();
            var triggersChanged = ChangedWorkspaces<FlowTrigger>();
            var commits = Database.CurrentTransaction is null;
            int saved;
            try
            {
                saved = Database.IsNpgsql() && RowsPerTable.Of(ChangeTracker) is { } rows
                    ? await SaveWithRowsPerTableAsync(rows, acceptAllChangesOnSuccess, cancellationToken)
                    : await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            catch
            {
                Failed?.Invoke(this, EventArgs.Empty);
                throw;
            }
            if (commits)
                Committed?.Invoke(this, EventArgs.Empty);
            // Within a caller's transaction this comes before its commit: a node that reads the triggers in between keeps
            // the old ones until their lifetime ends (no caller changes triggers in a transaction of its own).
            foreach (var changed in triggersChanged)
                ApplicationService<ICacheSignals>()?.Changed(CachedData.FlowTriggers, changed);
            return saved;
        }
    }

    /// <summary>The workspaces whose rows of <typeparamref name="T"/> the save adds, changes or removes.</summary>
    private List<Guid> ChangedWorkspaces<T>() where T : TenantEntity =>
        ChangeTracker.Entries<T>().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.WorkspaceId).Distinct().ToList();

    /// <summary>
    /// After a save committed what it wrote. A save inside the caller's transaction commits nothing: what it wrote becomes
    /// visible with the caller's commit, and this is not raised for it.
    /// </summary>
    public event EventHandler? Committed;

    /// <summary>After a save failed: nothing it was to write is stored (within a caller's transaction, it is to be rolled back).</summary>
    public event EventHandler? Failed;

    /// <summary>
    /// The added and updated rows in a statement per table, then what is left through EF, in one transaction (the caller's,
    /// if it holds one). A save written whole by the batch needs no transaction of its own: a batch commits or fails whole.
    /// </summary>
    private async Task<int> SaveWithRowsPerTableAsync(RowsPerTable rows, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        var own = Database.CurrentTransaction is null && !rows.IsWholeSave ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = await rows.WriteAsync((NpgsqlConnection)Database.GetDbConnection(),
                (NpgsqlTransaction?)Database.CurrentTransaction?.GetDbTransaction(), cancellationToken);
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (own is not null)
                await own.CommitAsync(cancellationToken);
            return written + saved;
        }
        catch
        {
            rows.Restore();
            throw;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
            await Database.CloseConnectionAsync();
        }
    }

    /// <remarks>
    /// PostgreSQL: a repeatable-read transaction, whose snapshot is taken at its first read. The embedded SQLite store
    /// keeps its reads apart: a transaction there takes the database's write lock and would hold up every writer while a
    /// report reads, so there a fold between two reads can still hide a moment's counts.
    /// </remarks>
    public async Task<IAsyncDisposable> ReadSnapshotAsync(CancellationToken cancellationToken) =>
        Database.IsNpgsql() && Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken)
            : NoSnapshot.Instance;

    private sealed class NoSnapshot : IAsyncDisposable
    {
        public static readonly NoSnapshot Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    public IReadOnlyList<T> Tracked<T>() where T : class => _tracked.Of<T>();

    /// <summary>Stops tracking every row (EF raises no event for it, so the rows kept by type are dropped here too).</summary>
    public void ClearTracked()
    {
        ChangeTracker.Clear();
        _tracked.Clear();
    }

    /// <summary>Until disposed, reading the tracker does not first scan every tracked row for changes.</summary>
    private ChangeScansResumed PauseChangeScans()
    {
        var resumed = new ChangeScansResumed(ChangeTracker, ChangeTracker.AutoDetectChangesEnabled);
        ChangeTracker.AutoDetectChangesEnabled = false;
        return resumed;
    }

    private sealed class ChangeScansResumed(ChangeTracker tracker, bool wasEnabled) : IDisposable
    {
        public void Dispose() => tracker.AutoDetectChangesEnabled = wasEnabled;
    }

    private bool _writesDeferred;

    /// <summary>
    /// Until disposed, a save runs the domain events (so handlers stage their work as usual) but writes nothing:
    /// the next save after it writes every change of the batch in one transaction and one round of statements.
    /// For background workers that handle several independent items as one unit of work; what a handler reads
    /// from the database then does not include the batch's earlier, unwritten items (tracked entities do).
    /// </summary>
    internal IDisposable DeferWrites()
    {
        _writesDeferred = true;
        return new WritesResumed(this);
    }

    private sealed class WritesResumed(OneInboxDbContext db) : IDisposable
    {
        public void Dispose() => db._writesDeferred = false;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync so that domain events are dispatched.");

    /// <summary>
    /// Handlers run before the rows are written, so whatever they change commits in the same transaction
    /// as the change that raised the event (or not at all).
    /// </summary>
    private async Task DispatchDomainEventsAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxEventRounds; round++)
        {
            var entities = _tracked.Of<Entity>(e => e.DomainEvents.Count > 0);
            if (entities.Count == 0)
                return;
            var events = entities.SelectMany(e => e.DomainEvents).ToList();
            entities.ForEach(e => e.ClearDomainEvents());
            foreach (var domainEvent in events)
                await (_publisher ?? throw new InvalidOperationException("The context was not lent to a scope.")).Publish(domainEvent, cancellationToken);
        }
        throw new InvalidOperationException("Domain events kept raising further events; a handler loops.");
    }

    private void StampTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            var property = entry.Property(nameof(ITenantOwned.WorkspaceId));
            if (entry.State == EntityState.Added && (Guid)property.CurrentValue! == Guid.Empty)
                property.CurrentValue = _workspace.WorkspaceId;
            else if (entry.State == EntityState.Modified && property.IsModified)
                throw new InvalidOperationException("A row cannot move to another workspace.");
            else if (entry.State is EntityState.Modified or EntityState.Deleted
                     && _workspace.HasWorkspace && (Guid)property.OriginalValue! != _workspace.WorkspaceId)
                throw new InvalidOperationException("A row of another workspace cannot be written in this unit of work.");
        }
    }
}
