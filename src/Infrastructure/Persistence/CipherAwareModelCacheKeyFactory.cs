using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OneInbox.Infrastructure.Persistence;

/// <summary>
/// Encrypted columns bind the host's cipher into the model, so one process hosting several installations
/// (the test suite) must build one model per cipher rather than share the first.
/// </summary>
internal sealed class CipherAwareModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is OneInboxDbContext oneInbox
            ? (context.GetType(), designTime, oneInbox.FieldCipher)
            : (context.GetType(), designTime, (object?)null);
}
