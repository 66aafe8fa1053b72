using static TorchSharp.torch;
namespace GenCdr.Tests.Platform;
public class TorchSmokeTests
{
    [Fact] public void Loads() => Assert.Equal(8f, ones(2, 2).matmul(ones(2, 2)).sum().item<float>());
}
