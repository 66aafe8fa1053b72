namespace GenCdr.Tests.Evaluation;

public class SignedNumberTests
{
    [Theory]
    [InlineData(0.01234, 4, "+0.0123")]
    [InlineData(-0.01236, 4, "−0.0124")]
    [InlineData(0.0, 4, "0.0000")]
    [InlineData(-0.00001, 4, "0.0000")]   // rounds to zero: no sign, neither "−0.0000" nor "-+0.0000"
    [InlineData(0.00004, 4, "0.0000")]
    [InlineData(-0.001, 2, "0.00")]
    [InlineData(-0.26, 2, "−0.26")]
    public void Signs_every_nonzero_value_with_the_typographic_minus_and_none_that_rounds_to_zero(double value, int decimals, string expected) =>
        Assert.Equal(expected, GenCdr.SignedNumber.Format(value, decimals));
}
