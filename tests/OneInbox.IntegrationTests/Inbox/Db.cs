using Npgsql;
using OneInbox.IntegrationTests.Infrastructure;

namespace OneInbox.IntegrationTests.Inbox;

/// <summary>Reads the database directly, to check what was (or was not) stored behind the API.</summary>
public static class Db
{
    public static async Task<T> ScalarAsync<T>(this OneInboxApp app, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A statement run directly (to set up a state the API cannot reach, e.g. a row another node holds).</summary>
    public static async Task ExecuteAsync(this OneInboxApp app, string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The outbox payload of a message, decrypted as the dispatcher reads it (it is encrypted at rest).</summary>
    public static async Task<System.Text.Json.JsonElement> OutboxPayloadAsync(this OneInboxApp app, Guid messageId)
    {
        var stored = await app.ScalarAsync<string>($"SELECT \"Payload\" FROM \"OutboxMessages\" WHERE \"MessageId\" = '{messageId}'");
        var cipher = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<OneInbox.Application.Common.IFieldCipher>(app.Services);
        return System.Text.Json.JsonDocument.Parse(cipher.Decrypt(stored)).RootElement;
    }

    public static Task<long> CountAsync(this OneInboxApp app, string table, string where = "true") =>
        app.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\" WHERE {where}");
}
