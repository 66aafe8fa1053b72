using System.Text.Json.Nodes;
using GenCdr.Data;

namespace GenCdr.Tests.Data;

public class PythonLiteralParserTests
{
    [Fact]
    public void ParsesAmazon2014MetaLineWithNestedCategoriesAndSalesRank()
    {
        var node = PythonLiteralParser.Parse(
            "{'asin': '0000031852', 'title': 'Girls Ballet Tutu Zebra Hot Pink', 'price': 3.17, " +
            "'salesRank': {'Sports &amp; Outdoors': 8547}, 'categories': [['Sports & Outdoors', 'Other Sports', 'Dance'], ['Clothing']]}");
        var obj = Assert.IsType<JsonObject>(node);
        Assert.Equal("0000031852", obj["asin"]!.GetValue<string>());
        Assert.Equal(3.17, obj["price"]!.GetValue<double>());
        Assert.Equal(8547L, obj["salesRank"]!["Sports &amp; Outdoors"]!.GetValue<long>());
        Assert.Equal("Dance", obj["categories"]![0]![2]!.GetValue<string>());
        Assert.Equal("Clothing", obj["categories"]![1]![0]!.GetValue<string>());
    }

    [Fact]
    public void HandlesQuotesAndEscapes()
    {
        var obj = (JsonObject)PythonLiteralParser.Parse(
            """{'a': "Men's Shoe", 'b': 'It\'s 12\" long', 'c': "say \"hi\"", 'd': 'back\\slash', 'e': 'tab\there', 'f': u'caf\xe9', 'g': 'caf\xc3\xa9'}""")!;
        Assert.Equal("Men's Shoe", obj["a"]!.GetValue<string>());
        Assert.Equal("It's 12\" long", obj["b"]!.GetValue<string>());
        Assert.Equal("say \"hi\"", obj["c"]!.GetValue<string>());
        Assert.Equal("back\\slash", obj["d"]!.GetValue<string>());
        Assert.Equal("tab\there", obj["e"]!.GetValue<string>());
        Assert.Equal("café", obj["f"]!.GetValue<string>()); // a code point
        Assert.Equal("café", obj["g"]!.GetValue<string>()); // UTF-8 bytes of a Python 2 byte string
    }

    [Fact]
    public void ParsesKeywordsNumbersAndTuples()
    {
        var obj = (JsonObject)PythonLiteralParser.Parse("{'t': True, 'f': False, 'n': None, 'i': -12, 'l': 123L, 'x': 1.5e3, 'tp': (1, 'a',), 'empty': {}, 'el': [], 'p': inf}")!;
        Assert.True(obj["t"]!.GetValue<bool>());
        Assert.False(obj["f"]!.GetValue<bool>());
        Assert.True(obj.ContainsKey("n"));
        Assert.Null(obj["n"]);
        Assert.Equal(-12L, obj["i"]!.GetValue<long>());
        Assert.Equal(123L, obj["l"]!.GetValue<long>());
        Assert.Equal(1500.0, obj["x"]!.GetValue<double>());
        Assert.Equal(2, obj["tp"]!.AsArray().Count);
        Assert.Empty(obj["empty"]!.AsObject());
        Assert.Empty(obj["el"]!.AsArray());
        Assert.Equal(double.PositiveInfinity, obj["p"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("{'a': 'unterminated}", 7)]
    [InlineData("{'a' 1}", 6)]
    [InlineData("{'a': 1} trailing", 10)]
    [InlineData("{'a': Maybe}", 7)]
    [InlineData("{'a': [1, 2}", 12)]
    public void ReportsTheColumnOfASyntaxError(string text, int column)
    {
        var e = Assert.Throws<PythonLiteralException>(() => PythonLiteralParser.Parse(text));
        Assert.Equal(column, e.Column);
    }
}
