using System.Text;

namespace GenCdr.Data;

/// <summary>
/// Escaping of free text in the store's TSV files so that every record stays on one line:
/// backslash, tab, newline and carriage return become \\, \t, \n, \r. A category list is written as its
/// escaped categories joined by " | ", with a literal '|' inside a category written as \|.
/// </summary>
public static class TsvEscaping
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("\\\t\n\r") < 0) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text) AppendEscaped(sb, c);
        return sb.ToString();
    }

    public static string EscapeCategories(IReadOnlyList<string> categories)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < categories.Count; i++)
        {
            if (i > 0) sb.Append(" | ");
            foreach (char c in categories[i])
                if (c == '|') sb.Append("\\|");
                else AppendEscaped(sb, c);
        }
        return sb.ToString();
    }

    /// <exception cref="FormatException">on a dangling or unknown escape.</exception>
    public static string Unescape(string text)
    {
        if (!text.Contains('\\')) return text;
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\') { sb.Append(text[i]); continue; }
            if (++i >= text.Length) throw new FormatException("dangling backslash");
            sb.Append(Unescaped(text[i]));
        }
        return sb.ToString();
    }

    /// <exception cref="FormatException">on a dangling or unknown escape, or a '|' that is not part of " | ".</exception>
    public static IReadOnlyList<string> UnescapeCategories(string text)
    {
        if (text.Length == 0) return Array.Empty<string>();
        var result = new List<string>();
        var sb = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                if (++i >= text.Length) throw new FormatException("dangling backslash");
                sb.Append(text[i] == '|' ? '|' : Unescaped(text[i]));
            }
            else if (c == '|')
            {
                // Separator " | ": the space before it is already in sb, the one after it is skipped.
                if (sb.Length == 0 || sb[^1] != ' ' || i + 1 >= text.Length || text[i + 1] != ' ')
                    throw new FormatException("a category separator must be ' | '");
                sb.Length--;
                result.Add(sb.ToString());
                sb.Clear();
                i++;
            }
            else sb.Append(c);
        }
        result.Add(sb.ToString());
        return result;
    }

    static void AppendEscaped(StringBuilder sb, char c)
    {
        switch (c)
        {
            case '\\': sb.Append("\\\\"); break;
            case '\t': sb.Append("\\t"); break;
            case '\n': sb.Append("\\n"); break;
            case '\r': sb.Append("\\r"); break;
            default: sb.Append(c); break;
        }
    }

    static char Unescaped(char c) => c switch
    {
        '\\' => '\\',
        't' => '\t',
        'n' => '\n',
        'r' => '\r',
        _ => throw new FormatException($"unknown escape '\\{c}'"),
    };
}
