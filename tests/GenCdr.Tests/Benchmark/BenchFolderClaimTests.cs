using GenCdr.Benchmark;

namespace GenCdr.Tests.Benchmark;

public class BenchFolderClaimTests
{
    /// <summary>Two bench processes training one model into one folder would write the same checkpoint: the second claim
    /// is refused, naming the model, until the first is released.</summary>
    [Fact]
    public void A_model_is_trained_by_one_process_at_a_time()
    {
        string root = Directory.CreateTempSubdirectory("gencdr-claim-").FullName;
        try
        {
            var folder = new BenchFolder(root);
            using (folder.ClaimModel("SASRec (BCE)"))
            {
                var error = Assert.Throws<GenCdrException>(() => folder.ClaimModel("SASRec (BCE)"));
                Assert.Contains("another process is training 'SASRec (BCE)'", error.Message);
                using var other = folder.ClaimModel("BERT4Rec");            // another model is free
            }
            using var again = folder.ClaimModel("SASRec (BCE)");            // released with the first handle
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
