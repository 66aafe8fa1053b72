using TorchSharp;
using static TorchSharp.torch;

namespace GenCdr.Tests.Platform;

/// <summary>TorchSharp initialises in the test process and trains a tiny module.</summary>
public class TorchSmokeTests
{
    [Fact]
    public void A_tiny_linear_model_learns_a_linear_map()
    {
        manual_seed(1);
        var model = nn.Linear(3, 1);
        var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        var x = randn(256, 3);
        var y = x.matmul(tensor(new float[] { 1f, -2f, 0.5f }).reshape(3, 1)) + 0.3f;
        float first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.01, $"loss {first} -> {last}");
        Assert.Equal(-2f, model.weight!.data<float>()[1], 1);
    }
}
