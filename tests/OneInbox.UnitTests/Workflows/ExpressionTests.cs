using OneInbox.Workflows.Expressions;

namespace OneInbox.UnitTests.Workflows;

public class ExpressionTests
{
    private sealed class Scope(Dictionary<string, object?> vars, string text = "") : IExpressionScope
    {
        public object? Root(ScopeRoot root, string name) => root switch
        {
            ScopeRoot.Vars => vars.GetValueOrDefault(name),
            ScopeRoot.Message when name == "text" => text,
            ScopeRoot.Contact when name == "name" => "Ada Lovelace",
            ScopeRoot.Conversation when name == "channel" => "telegram",
            _ => null,
        };
    }

    private static object? Eval(string expression, Dictionary<string, object?>? vars = null, string text = "") =>
        ExpressionCompiler.Compile(expression).Evaluate(new Scope(vars ?? [], text));

    [Theory]
    [InlineData("1 + 2 * 3 == 7", true)]
    [InlineData("vars.age >= 18 and vars.age < 65", true)]
    [InlineData("vars.age > 40 or not (vars.name == 'Bo')", false)]
    [InlineData("!(vars.age == 30)", false)]
    [InlineData("vars.missing == null", true)]
    [InlineData("vars.age != 31 && true", true)]
    public void Conditions_combine_comparisons_with_and_or_not(string expression, bool expected) =>
        Assert.Equal(expected, Values.Truthy(Eval(expression, new() { ["age"] = 30.0, ["name"] = "Bo" })));

    [Theory]
    [InlineData("message.text contains 'AGENT'", true)]
    [InlineData("message.text startsWith 'i want'", true)]
    [InlineData("message.text endsWith 'please'", true)]
    [InlineData("lower(message.text) == 'i want an agent please'", true)]
    [InlineData("contains(contact.name, 'love')", true)]
    [InlineData("conversation.channel == 'Telegram'", true)]
    [InlineData("message.text contains 'sales'", false)]
    public void Text_operators_ignore_case(string expression, bool expected) =>
        Assert.Equal(expected, Values.Truthy(Eval(expression, text: "I want an Agent please")));

    [Fact]
    public void A_number_typed_as_text_compares_as_a_number() =>
        Assert.Equal(true, Eval("message.text > 9", text: " 10 "));

    [Fact]
    public void Json_variables_are_read_by_path() =>
        Assert.Equal("shipped", Eval("vars.order.status", new() { ["order"] = System.Text.Json.Nodes.JsonNode.Parse("""{"status":"shipped"}""") }));

    [Theory]
    [InlineData("System.IO.File.Delete('x')", "Unknown name 'System'")]
    [InlineData("vars.a ==", "ends too early")]
    [InlineData("exec('rm')", "Unknown function 'exec'")]
    [InlineData("'open", "not closed")]
    [InlineData("vars.a $ 2", "Unexpected '$' at position 8")]
    public void Anything_outside_the_language_is_refused_when_compiled(string expression, string message)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(expression));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_expressions_are_refused() =>
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.Compile(new string('(', 200) + "1" + new string(')', 200)));

    [Fact]
    public async Task Templates_render_contact_message_and_variables()
    {
        var template = CompiledTemplate.Compile("Hi {{ contact.name }}, you said {{ message.text | upcase }}; email {{ vars.email }}");
        var text = await template.RenderAsync(new TemplateModel(
            new Dictionary<string, object?> { ["email"] = "a@b.co" },
            new Dictionary<string, object?> { ["text"] = "hello" },
            new Dictionary<string, object?> { ["name"] = "Ada" },
            new Dictionary<string, object?>()));
        Assert.Equal("Hi Ada, you said HELLO; email a@b.co", text);
    }

    [Fact]
    public void A_broken_template_is_refused_when_compiled() =>
        Assert.Throws<ExpressionException>(() => CompiledTemplate.Compile("Hi {{ contact.name "));
}
