using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using OneInbox.Application.Common;
using OneInbox.Application.Common.Exceptions;
using OneInbox.Domain.Identity;

namespace OneInbox.Application.Identity;

public sealed record IntegrationClientDto(Guid Id, string ClientId, string Name, WorkspaceRole Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>The created client with its secret: the only time the secret is readable.</summary>
public sealed record CreatedIntegrationClientDto(Guid Id, string ClientId, string ClientSecret, string Name, WorkspaceRole Role);

public sealed record CreateIntegrationClient(string Name, WorkspaceRole Role) : ICommand<CreatedIntegrationClientDto>;

public sealed class CreateIntegrationClientValidator : AbstractValidator<CreateIntegrationClient>
{
    public CreateIntegrationClientValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(IntegrationClient.MaxNameLength);
        RuleFor(c => c.Role).IsInEnum().NotEqual(WorkspaceRole.Owner).WithMessage("An integration client can be Admin, Agent or Auditor.");
    }
}

public sealed class CreateIntegrationClientHandler(IOneInboxDb db, IClientRegistry clients, ICurrentUser actor, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<CreateIntegrationClient, CreatedIntegrationClientDto>
{
    public async ValueTask<CreatedIntegrationClientDto> Handle(CreateIntegrationClient command, CancellationToken cancellationToken)
    {
        var (clientId, secret) = await clients.CreateConfidentialClientAsync(command.Name, cancellationToken);
        var client = IntegrationClient.Create(clientId, command.Name, command.Role, actor.UserId, clock);
        db.IntegrationClients.Add(client);
        audit.Record("client.created", clientId, command.Role.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await clients.DeleteClientAsync(clientId, CancellationToken.None);
            throw;
        }
        return new CreatedIntegrationClientDto(client.Id, clientId, secret, client.Name, client.Role);
    }
}

public sealed record ListIntegrationClients : IQuery<ItemsOf<IntegrationClientDto>>;

public sealed class ListIntegrationClientsHandler(IOneInboxDb db) : IQueryHandler<ListIntegrationClients, ItemsOf<IntegrationClientDto>>
{
    public async ValueTask<ItemsOf<IntegrationClientDto>> Handle(ListIntegrationClients query, CancellationToken cancellationToken) =>
        new(await db.IntegrationClients.AsNoTracking().OrderByDescending(c => c.Id)
            .Select(c => new IntegrationClientDto(c.Id, c.ClientId, c.Name, c.Role, c.CreatedAt, c.RevokedAt))
            .ToListAsync(cancellationToken));
}

/// <summary>Revokes a client: its registration is deleted, so it gets no new tokens, and its current tokens are refused.</summary>
public sealed record RevokeIntegrationClient(Guid Id) : ICommand;

public sealed class RevokeIntegrationClientHandler(IOneInboxDb db, IClientRegistry clients, IAuditLog audit, TimeProvider clock)
    : ICommandHandler<RevokeIntegrationClient>
{
    public async ValueTask<Unit> Handle(RevokeIntegrationClient command, CancellationToken cancellationToken)
    {
        var client = await db.IntegrationClients.FirstOrDefaultAsync(c => c.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("Integration client", command.Id);
        client.Revoke(clock);
        audit.Record("client.revoked", client.ClientId);
        await db.SaveChangesAsync(cancellationToken);
        await clients.DeleteClientAsync(client.ClientId, cancellationToken);
        return Unit.Value;
    }
}
