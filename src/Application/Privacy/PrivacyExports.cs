using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Application.Identity;
using OneInbox.Domain.Privacy;

namespace OneInbox.Application.Privacy;

public sealed record PrivacyExportDto(
    Guid Id, Guid RequestId, PrivacyExportStatus Status, DateTimeOffset RequestedAt, DateTimeOffset? ReadyAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? DeleteAfter, long SizeBytes, int Downloads, string? Error)
{
    public static PrivacyExportDto From(PrivacyExport e) =>
        new(e.Id, e.RequestId, e.Status, e.RequestedAt, e.ReadyAt, e.ExpiresAt, e.DeleteAfter, e.SizeBytes, e.Downloads, e.Error);
}

/// <summary>Starts building the export of an access or portability request (a background job builds it); the request shows in progress.</summary>
public sealed record StartPrivacyExport(Guid RequestId) : ICommand<PrivacyExportDto>;

public sealed class StartPrivacyExportHandler(IOneInboxDb db, ICurrentUser user, IAuditLog audit, TimeProvider clock) : ICommandHandler<StartPrivacyExport, PrivacyExportDto>
{
    public async ValueTask<PrivacyExportDto> Handle(StartPrivacyExport command, CancellationToken cancellationToken)
    {
        var request = await db.GetPrivacyRequestAsync(command.RequestId, cancellationToken);
        if (await db.PrivacyExports.AnyAsync(e => e.RequestId == request.Id && e.Status == PrivacyExportStatus.Building, cancellationToken))
            throw new ConflictException("privacy.export_building", "An export of this request is being built already.");
        var export = PrivacyExport.Start(request, user.UserId, clock);
        if (request.Status == PrivacyRequestStatus.Received)
            request.Start(user.UserId, clock);
        request.Note(clock.GetUtcNow(), "export_started", user.UserId, null);
        db.PrivacyExports.Add(export);
        audit.Record("privacy.export_started", request.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return PrivacyExportDto.From(export);
    }
}

/// <summary>The request's exports, newest first.</summary>
public sealed record ListPrivacyExports(Guid RequestId) : IQuery<IReadOnlyList<PrivacyExportDto>>;

public sealed class ListPrivacyExportsHandler(IOneInboxDb db) : IQueryHandler<ListPrivacyExports, IReadOnlyList<PrivacyExportDto>>
{
    public async ValueTask<IReadOnlyList<PrivacyExportDto>> Handle(ListPrivacyExports query, CancellationToken cancellationToken)
    {
        var request = await db.GetPrivacyRequestAsync(query.RequestId, cancellationToken);
        var exports = await db.PrivacyExports.AsNoTracking().Where(e => e.RequestId == request.Id).ToListAsync(cancellationToken);
        return exports.OrderByDescending(e => e.RequestedAt).Select(PrivacyExportDto.From).ToList();
    }
}

public sealed record PrivacyExportFile(string FileName, byte[] Content);

/// <summary>Downloads the newest ready export within its 24 hours; every download is audited.</summary>
public sealed record DownloadPrivacyExport(Guid RequestId) : ICommand<PrivacyExportFile>;

public sealed class DownloadPrivacyExportHandler(IOneInboxDb db, IPrivacyExportFiles files, IAuditLog audit, TimeProvider clock) : ICommandHandler<DownloadPrivacyExport, PrivacyExportFile>
{
    public async ValueTask<PrivacyExportFile> Handle(DownloadPrivacyExport command, CancellationToken cancellationToken)
    {
        var request = await db.GetPrivacyRequestAsync(command.RequestId, cancellationToken);
        var exports = await db.PrivacyExports.Where(e => e.RequestId == request.Id && e.Status == PrivacyExportStatus.Ready).ToListAsync(cancellationToken);
        var export = exports.MaxBy(e => e.ReadyAt)
            ?? throw new ConflictException("privacy.export", "No export of this request is ready: start one and wait until it is ready.");
        export.Download(clock);
        var content = await files.OpenAsync(export, cancellationToken)
            ?? throw new ConflictException("privacy.export", "The export can no longer be read: its file or the person's key is gone.");
        audit.Record("privacy.export_downloaded", request.Id.ToString(), $"export {export.Id}, download {export.Downloads}");
        await db.SaveChangesAsync(cancellationToken);
        return new PrivacyExportFile($"privacy-export-{request.Id:N}.zip", content);
    }
}
