using System.Globalization;
using System.Text;

namespace OneInbox.Workflows.Expressions;

/// <summary>Where a compiled expression reads its names from: vars, message, contact and conversation.</summary>
public interface IExpressionScope
{
    object? Root(ScopeRoot root, string name);
}

public enum ScopeRoot
{
    Vars,
    Message,
    Contact,
    Conversation,
}

/// <summary>A condition compiled once per published version; evaluating it is a delegate call.</summary>
public sealed class CompiledExpression(string source, Func<IExpressionScope, object?> evaluate)
{
    public string Source { get; } = source;

    public object? Evaluate(IExpressionScope scope) => evaluate(scope);

    public bool IsTrue(IExpressionScope scope) => Values.Truthy(evaluate(scope));
}

public sealed class ExpressionException(string message) : Exception(message);

/// <summary>
/// The flow condition language: literals, <c>vars.x</c>/<c>message.text</c>/<c>contact.name</c>/
/// <c>conversation.channel</c>, comparisons, <c>and/or/not</c>, <c>contains/startsWith/endsWith</c>,
/// arithmetic and a few pure functions. It cannot reach the CLR, loop or allocate without bound, which is
/// why it is safe to run admins' input on the message path; it compiles to closures, once.
/// </summary>
public static class ExpressionCompiler
{
    private const int MaxLength = 2000;
    private const int MaxDepth = 50;

    public static CompiledExpression Compile(string source)
    {
        if (string.IsNullOrWhiteSpace(source))
            throw new ExpressionException("The expression is empty.");
        if (source.Length > MaxLength)
            throw new ExpressionException($"The expression is longer than {MaxLength} characters.");
        var parser = new Parser(Tokenize(source));
        var evaluate = parser.ParseAll();
        return new CompiledExpression(source, evaluate);
    }

    private enum Kind
    {
        Number,
        String,
        Name,
        Symbol,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (char.IsDigit(c))
            {
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.'))
                    i++;
                tokens.Add(new Token(Kind.Number, s[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
                    i++;
                tokens.Add(new Token(Kind.Name, s[start..i], start));
            }
            else if (c is '\'' or '"')
            {
                var text = new StringBuilder();
                i++;
                while (i < s.Length && s[i] != c)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                        i++;
                    text.Append(s[i++]);
                }
                if (i >= s.Length)
                    throw new ExpressionException($"The text starting at position {start + 1} is not closed with {c}.");
                i++;
                tokens.Add(new Token(Kind.String, text.ToString(), start));
            }
            else
            {
                var two = i + 1 < s.Length ? s.Substring(i, 2) : null;
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
                {
                    tokens.Add(new Token(Kind.Symbol, two, start));
                    i += 2;
                }
                else if ("<>!()+-*/.,%".Contains(c, StringComparison.Ordinal))
                {
                    tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                    i++;
                }
                else
                {
                    throw new ExpressionException($"Unexpected '{c}' at position {start + 1}.");
                }
            }
        }
        tokens.Add(new Token(Kind.End, string.Empty, s.Length));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;
        private int _depth;

        private Token Peek => tokens[_at];

        public Func<IExpressionScope, object?> ParseAll()
        {
            var e = Or();
            if (Peek.Kind != Kind.End)
                throw Error($"Unexpected '{Peek.Text}'");
            return e;
        }

        private ExpressionException Error(string what) => new($"{what} at position {Peek.Position + 1}.");

        private bool Accept(string text)
        {
            var t = Peek;
            if ((t.Kind == Kind.Symbol && t.Text == text) || (t.Kind == Kind.Name && t.Text.Equals(text, StringComparison.OrdinalIgnoreCase)))
            {
                _at++;
                return true;
            }
            return false;
        }

        private void Expect(string text)
        {
            if (!Accept(text))
                throw Error($"Expected '{text}'");
        }

        private Func<IExpressionScope, object?> Or()
        {
            var left = And();
            while (Accept("or") || Accept("||"))
            {
                var l = left;
                var r = And();
                left = s => Values.Truthy(l(s)) || Values.Truthy(r(s));
            }
            return left;
        }

        private Func<IExpressionScope, object?> And()
        {
            var left = Not();
            while (Accept("and") || Accept("&&"))
            {
                var l = left;
                var r = Not();
                left = s => Values.Truthy(l(s)) && Values.Truthy(r(s));
            }
            return left;
        }

        private Func<IExpressionScope, object?> Not()
        {
            if (Accept("not") || Accept("!"))
            {
                var operand = Nested(Not);
                return s => !Values.Truthy(operand(s));
            }
            return Comparison();
        }

        private Func<IExpressionScope, object?> Nested(Func<Func<IExpressionScope, object?>> parse)
        {
            if (++_depth > MaxDepth)
                throw Error("The expression nests too deeply");
            var result = parse();
            _depth--;
            return result;
        }

        private Func<IExpressionScope, object?> Comparison()
        {
            var left = Additive();
            var op = Peek;
            if (op.Kind is not (Kind.Symbol or Kind.Name))
                return left;
            Func<object?, object?, bool>? compare = op.Text.ToLowerInvariant() switch
            {
                "==" => (a, b) => Values.Equals(a, b),
                "!=" => (a, b) => !Values.Equals(a, b),
                "<" => (a, b) => Values.Compare(a, b) < 0,
                "<=" => (a, b) => Values.Compare(a, b) <= 0,
                ">" => (a, b) => Values.Compare(a, b) > 0,
                ">=" => (a, b) => Values.Compare(a, b) >= 0,
                "contains" => (a, b) => Values.Text(a).Contains(Values.Text(b), StringComparison.OrdinalIgnoreCase),
                "startswith" => (a, b) => Values.Text(a).TrimStart().StartsWith(Values.Text(b), StringComparison.OrdinalIgnoreCase),
                "endswith" => (a, b) => Values.Text(a).TrimEnd().EndsWith(Values.Text(b), StringComparison.OrdinalIgnoreCase),
                _ => null,
            };
            if (compare is null)
                return left;
            _at++;
            var right = Additive();
            return s => compare(left(s), right(s));
        }

        private Func<IExpressionScope, object?> Additive()
        {
            var left = Multiplicative();
            while (true)
            {
                var l = left;
                if (Accept("+"))
                {
                    var r = Multiplicative();
                    left = s =>
                    {
                        var a = l(s);
                        var b = r(s);
                        return a is string || b is string || !Values.TryNumber(a, out var x) || !Values.TryNumber(b, out var y)
                            ? Values.Text(a) + Values.Text(b)
                            : x + y;
                    };
                }
                else if (Accept("-"))
                {
                    var r = Multiplicative();
                    left = s => Number(l(s)) - Number(r(s));
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<IExpressionScope, object?> Multiplicative()
        {
            var left = Unary();
            while (true)
            {
                var l = left;
                if (Accept("*"))
                {
                    var r = Unary();
                    left = s => Number(l(s)) * Number(r(s));
                }
                else if (Accept("/"))
                {
                    var r = Unary();
                    left = s => Number(r(s)) is var d && d == 0 ? null : Number(l(s)) / d;
                }
                else if (Accept("%"))
                {
                    var r = Unary();
                    left = s => Number(r(s)) is var d && d == 0 ? null : Number(l(s)) % d;
                }
                else
                {
                    return left;
                }
            }
        }

        private static double Number(object? value) => Values.TryNumber(value, out var d) ? d : 0;

        private Func<IExpressionScope, object?> Unary()
        {
            if (Accept("-"))
            {
                var operand = Nested(Unary);
                return s => -Number(operand(s));
            }
            return Primary();
        }

        private Func<IExpressionScope, object?> Primary()
        {
            var t = Peek;
            switch (t.Kind)
            {
                case Kind.Number:
                    _at++;
                    if (!double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                        throw new ExpressionException($"'{t.Text}' is not a number.");
                    object boxed = number;
                    return _ => boxed;
                case Kind.String:
                    _at++;
                    var text = t.Text;
                    return _ => text;
                case Kind.Symbol when t.Text == "(":
                    _at++;
                    var inner = Nested(Or);
                    Expect(")");
                    return inner;
                case Kind.Name:
                    _at++;
                    return Name(t);
                default:
                    throw Error(t.Kind == Kind.End ? "The expression ends too early" : $"Unexpected '{t.Text}'");
            }
        }

        private Func<IExpressionScope, object?> Name(Token name)
        {
            switch (name.Text)
            {
                case "true":
                    return static _ => true;
                case "false":
                    return static _ => false;
                case "null":
                    return static _ => null;
            }
            if (Accept("("))
                return Function(name);

            ScopeRoot root = name.Text switch
            {
                "vars" => ScopeRoot.Vars,
                "message" => ScopeRoot.Message,
                "contact" => ScopeRoot.Contact,
                "conversation" => ScopeRoot.Conversation,
                _ => throw new ExpressionException(
                    $"Unknown name '{name.Text}' at position {name.Position + 1}: use vars.<name>, message.text, contact.<field> or conversation.<field>."),
            };
            Expect(".");
            var first = MemberName();
            Func<IExpressionScope, object?> read = s => s.Root(root, first);
            while (Accept("."))
            {
                var member = MemberName();
                var previous = read;
                read = s => Values.Member(previous(s), member);
            }
            return read;
        }

        private string MemberName()
        {
            var t = Peek;
            if (t.Kind is not (Kind.Name or Kind.Number))
                throw Error("Expected a name after '.'");
            _at++;
            return t.Text;
        }

        private Func<IExpressionScope, object?> Function(Token name)
        {
            var args = new List<Func<IExpressionScope, object?>>();
            if (!Accept(")"))
            {
                do
                {
                    args.Add(Nested(Or));
                }
                while (Accept(","));
                Expect(")");
            }
            Func<IExpressionScope, object?> Arg(int i) => i < args.Count
                ? args[i]
                : throw new ExpressionException($"{name.Text}() needs {i + 1} argument(s).");

            switch (name.Text.ToLowerInvariant())
            {
                case "lower":
                    var lower = Arg(0);
                    return s => Values.Text(lower(s)).ToLowerInvariant();
                case "upper":
                    var upper = Arg(0);
                    return s => Values.Text(upper(s)).ToUpperInvariant();
                case "trim":
                    var trim = Arg(0);
                    return s => Values.Text(trim(s)).Trim();
                case "len":
                    var len = Arg(0);
                    return s => (double)Values.Text(len(s)).Length;
                case "number":
                    var num = Arg(0);
                    return s => Values.TryNumber(num(s), out var d) ? d : null;
                case "isempty":
                    var empty = Arg(0);
                    return s => string.IsNullOrWhiteSpace(Values.Text(empty(s)));
                case "contains":
                case "startswith":
                case "endswith":
                    var (a, b) = (Arg(0), Arg(1));
                    var kind = name.Text.ToLowerInvariant();
                    return s =>
                    {
                        var x = Values.Text(a(s));
                        var y = Values.Text(b(s));
                        return kind switch
                        {
                            "contains" => x.Contains(y, StringComparison.OrdinalIgnoreCase),
                            "startswith" => x.TrimStart().StartsWith(y, StringComparison.OrdinalIgnoreCase),
                            _ => x.TrimEnd().EndsWith(y, StringComparison.OrdinalIgnoreCase),
                        };
                    };
                default:
                    throw new ExpressionException(
                        $"Unknown function '{name.Text}' at position {name.Position + 1}: available are lower, upper, trim, len, number, isEmpty, contains, startsWith, endsWith.");
            }
        }
    }
}
