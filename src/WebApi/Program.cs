using OneInbox.WebApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddOneInbox();

var app = builder.Build();
app.UseOneInbox();
app.Run();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
