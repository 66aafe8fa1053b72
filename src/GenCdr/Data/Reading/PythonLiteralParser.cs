using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GenCdr.Data;

/// <summary>A syntax error in a Python literal, at a 1-based column of the parsed text.</summary>
public sealed class PythonLiteralException(int column, string problem) : Exception($"column {column}: {problem}")
{
    public int Column { get; } = column;
    public string Problem { get; } = problem;
}

/// <summary>
/// Parses one Python literal (what <c>repr()</c>/<c>str()</c> of a dict prints) into a <see cref="JsonNode"/>.
/// The Amazon 2014 metadata files (<c>meta_*.json.gz</c>) are written this way rather than as JSON:
/// single-quoted strings, double quotes around strings that contain a single quote, backslash escapes,
/// True/False/None, nested lists and dicts. Supported: dict, list, tuple (as an array), str with optional
/// u/b/r prefixes and all Python escapes, int (with a Python-2 "L" suffix), float, True/False/None
/// (and JSON's true/false/null, so JSON lines parse too). Sets and expressions are not literals we need.
/// </summary>
public sealed class PythonLiteralParser
{
    readonly string _text;
    int _pos;
    readonly StringBuilder _sb = new();
    readonly List<byte> _pendingBytes = []; // consecutive \xNN escapes, decoded together (see FlushBytes)

    PythonLiteralParser(string text) => _text = text;

    /// <summary>Parses the whole text as one literal; trailing non-space text is an error.</summary>
    public static JsonNode? Parse(string text)
    {
        var parser = new PythonLiteralParser(text);
        var value = parser.ParseValue();
        parser.SkipSpace();
        if (parser._pos != text.Length) throw parser.Error("unexpected text after the literal");
        return value;
    }

    PythonLiteralException Error(string problem) => new(_pos + 1, problem);

    void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    JsonNode? ParseValue()
    {
        SkipSpace();
        if (_pos >= _text.Length) throw Error("unexpected end of line");
        char c = _text[_pos];
        switch (c)
        {
            case '{': return ParseDict();
            case '[': return ParseSequence('[', ']');
            case '(': return ParseSequence('(', ')');
            case '\'':
            case '"': return JsonValue.Create(ParseString());
        }
        if (c is '-' or '+' or '.' || char.IsAsciiDigit(c)) return ParseNumber();
        if (char.IsAsciiLetter(c)) return ParseWord();
        throw Error($"unexpected character '{c}'");
    }

    JsonObject ParseDict()
    {
        _pos++; // '{'
        var obj = new JsonObject();
        while (true)
        {
            SkipSpace();
            if (Peek() == '}') { _pos++; return obj; }
            var key = ParseValue();
            string keyText = key switch
            {
                null => "None",
                JsonValue v when v.TryGetValue(out string? s) => s,
                _ => key.ToJsonString(),
            };
            SkipSpace();
            Expect(':');
            var value = ParseValue();
            obj[keyText] = value; // a repeated key keeps the last value, as in Python
            SkipSpace();
            if (Peek() == ',') { _pos++; continue; }
            if (Peek() == '}') { _pos++; return obj; }
            throw Error("expected ',' or '}' in dict");
        }
    }

    JsonArray ParseSequence(char open, char close)
    {
        _pos++; // open
        var array = new JsonArray();
        while (true)
        {
            SkipSpace();
            if (Peek() == close) { _pos++; return array; }
            array.Add(ParseValue());
            SkipSpace();
            if (Peek() == ',') { _pos++; continue; }
            if (Peek() == close) { _pos++; return array; }
            throw Error($"expected ',' or '{close}' after {(open == '[' ? "list" : "tuple")} element");
        }
    }

    JsonNode? ParseWord()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        string word = _text[start.._pos];
        // String prefixes: u'..', b'..', r'..', and combinations such as br'..' or ur'..'.
        if (_pos < _text.Length && _text[_pos] is '\'' or '"' && word.Length <= 2
            && word.All(ch => "uUbBrR".Contains(ch)))
            return JsonValue.Create(ParseString(raw: word.Contains('r') || word.Contains('R')));
        switch (word)
        {
            case "True" or "true": return JsonValue.Create(true);
            case "False" or "false": return JsonValue.Create(false);
            case "None" or "null": return null;
            case "inf": return JsonValue.Create(double.PositiveInfinity); // repr(float('inf'))
            case "nan": return JsonValue.Create(double.NaN);
        }
        _pos = start;
        throw Error($"unknown name '{word}'");
    }

    JsonNode ParseNumber()
    {
        int start = _pos;
        if (_text[_pos] is '-' or '+') _pos++;
        bool isFloat = false;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (char.IsAsciiDigit(c) || c == '_') { _pos++; continue; }
            if (c is '.' or 'e' or 'E') { isFloat = true; _pos++; continue; }
            if ((c is '-' or '+') && _text[_pos - 1] is 'e' or 'E') { _pos++; continue; }
            break;
        }
        string number = _text[start.._pos].Replace("_", "");
        if (_pos < _text.Length && _text[_pos] is 'L' or 'l') _pos++; // Python 2 long
        if (!isFloat && long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return JsonValue.Create(l);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return JsonValue.Create(d);
        _pos = start;
        throw Error($"malformed number '{number}'");
    }

    string ParseString(bool raw = false)
    {
        char quote = _text[_pos];
        int openedAt = _pos;
        // Triple-quoted strings are legal Python; repr never writes them, but accept them anyway.
        bool triple = _pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote;
        _pos += triple ? 3 : 1;
        var sb = _sb.Clear();
        var pendingBytes = _pendingBytes;
        while (true)
        {
            if (_pos >= _text.Length) { _pos = openedAt; throw Error("unterminated string"); }
            char c = _text[_pos];
            if (c == quote && (!triple || (_pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote)))
            {
                FlushBytes(sb, pendingBytes);
                _pos += triple ? 3 : 1;
                return sb.ToString();
            }
            if (c != '\\' || raw)
            {
                FlushBytes(sb, pendingBytes);
                sb.Append(c);
                _pos++;
                continue;
            }
            if (_pos + 1 >= _text.Length) { _pos = openedAt; throw Error("unterminated string"); }
            char e = _text[_pos + 1];
            _pos += 2;
            if (e == 'x')
            {
                pendingBytes.Add((byte)ReadHex(2));
                continue;
            }
            FlushBytes(sb, pendingBytes);
            switch (e)
            {
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case '\n': break; // line continuation
                case 'u': sb.Append((char)ReadHex(4)); break;
                case 'U': sb.Append(char.ConvertFromUtf32(ReadHex(8))); break;
                case >= '0' and <= '7':
                {
                    int value = e - '0';
                    for (int k = 0; k < 2 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; k++)
                        value = value * 8 + (_text[_pos++] - '0');
                    sb.Append((char)value);
                    break;
                }
                default: sb.Append('\\').Append(e); break; // Python keeps unknown escapes verbatim
            }
        }
    }

    int ReadHex(int digits)
    {
        if (_pos + digits > _text.Length
            || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value))
            throw Error($"malformed \\{(digits == 2 ? "x" : digits == 4 ? "u" : "U")} escape");
        _pos += digits;
        return value;
    }

    /// <summary>
    /// Python 2 printed non-ASCII text of byte strings as runs of \xNN escapes holding UTF-8 bytes
    /// ('caf\xc3\xa9'), and of unicode strings as code points (u'caf\xe9'). A run that is valid UTF-8
    /// is decoded as UTF-8; otherwise every byte is taken as a Latin-1 code point.
    /// </summary>
    static void FlushBytes(StringBuilder sb, List<byte> bytes)
    {
        if (bytes.Count == 0) return;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        if (System.Text.Unicode.Utf8.IsValid(span)) sb.Append(Encoding.UTF8.GetString(span));
        else foreach (byte b in bytes) sb.Append((char)b);
        bytes.Clear();
    }

    char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    void Expect(char c)
    {
        if (Peek() != c) throw Error($"expected '{c}'");
        _pos++;
    }
}
