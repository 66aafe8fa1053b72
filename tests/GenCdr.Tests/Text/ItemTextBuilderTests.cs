using GenCdr.Data;
using GenCdr.Text;

namespace GenCdr.Tests.Text;

public class ItemTextBuilderTests
{
    private static readonly ItemText Full = new("Slim Fit Chinos", "Dockers", ["Clothing", "Men", "Pants"], "Soft\n stretch   cotton");

    [Fact]
    public void Title_brand_and_categories_in_the_documented_format() =>
        Assert.Equal("Slim Fit Chinos. Brand: Dockers. Categories: Clothing, Men, Pants.", new ItemTextBuilder().Build(Full));

    [Fact]
    public void Description_is_appended_only_when_asked_with_white_space_collapsed() =>
        Assert.Equal("Slim Fit Chinos. Brand: Dockers. Categories: Clothing, Men, Pants. Description: Soft stretch cotton.",
            new ItemTextBuilder(includeDescription: true).Build(new Item("B1", "clothing", Full)));

    [Fact]
    public void Missing_fields_are_left_out_and_empty_items_give_the_empty_string()
    {
        var builder = new ItemTextBuilder(includeDescription: true);
        Assert.Equal("", builder.Build(ItemText.Empty));
        Assert.Equal("", builder.Build(new ItemText("  ", "", ["", " "], "\n")));
        Assert.Equal("Brand: Nike.", builder.Build(new ItemText("", "Nike", [], "")));
        Assert.Equal("Wow! Categories: Shoes.", builder.Build(new ItemText("Wow!", "", ["Shoes", "Shoes"], "")));
    }

    [Fact]
    public void BuildAll_keeps_item_order()
    {
        var items = new[] { new Item("a", "d", new ItemText("First", "", [], "")), new Item("b", "d", ItemText.Empty) };
        Assert.Equal(["First.", ""], new ItemTextBuilder().BuildAll(items));
    }
}
