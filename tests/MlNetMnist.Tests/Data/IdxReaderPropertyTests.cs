using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>
/// Thousands of random mutations of real IDX files (bit flips, truncations, header edits, junk):
/// every outcome is a read whose result matches the file's own header, or the typed
/// <see cref="DataSetException"/> — never another exception, never an allocation far beyond the file.
/// </summary>
public sealed class IdxReaderPropertyTests
{
    private const int Mutations = 1_500;

    /// <summary>Each file with its fixed seed: the same mutations in every run, so a failure can be replayed.</summary>
    public static TheoryData<string, bool, int> Files => new()
    {
        { "t10k-images-idx3-ubyte", true, 101 },
        { "t10k-images-idx3-ubyte.gz", true, 102 },
        { "t10k-labels-idx1-ubyte", false, 103 },
        { "t10k-labels-idx1-ubyte.gz", false, 104 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    [Trait("Category", "Slow")]
    public void EveryMutationIsACorrectReadOrTheTypedError(string name, bool images, int seed)
    {
        using var dir = new TempDirectory();
        var original = dir.File(name);
        var slice = RealMnist.DataSet.Test.Slice(0, 300);
        if (images) IdxWriter.WriteImages(original, slice);
        else IdxWriter.WriteLabels(original, slice.Labels);
        var bytes = File.ReadAllBytes(original);
        var path = dir.File("mutant" + (name.EndsWith(".gz") ? ".gz" : ""));
        int reads = 0, errors = 0;

        for (int i = 0; i < Mutations; i++)
        {
            // Every mutation has a generator of its own: mutation i of this seed is Mutate(bytes, new Random(MutationSeed(seed, i))).
            var mutant = Mutate(bytes, new Random(MutationSeed(seed, i)));
            File.WriteAllBytes(path, mutant);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                if (images)
                {
                    var read = IdxReader.ReadImages(path);
                    Assert.Equal((long)read.Count * read.Rows * read.Columns, read.Pixels.Length);
                }
                else
                {
                    var labels = IdxReader.ReadLabels(path, classCount: 10);
                    Assert.All(labels, l => Assert.InRange(l, 0, 9));
                }
                reads++;
            }
            catch (DataSetException e) when (e.FilePath == path)
            {
                errors++;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{name}, seed {seed}, mutation {i} (MutationSeed {MutationSeed(seed, i)}, {mutant.Length:N0} bytes): {e.GetType().Name}: {e.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64L * mutant.Length + (16 << 20),
                $"{name}, seed {seed}, mutation {i} (MutationSeed {MutationSeed(seed, i)}): {allocated:N0} bytes allocated for a {mutant.Length:N0}-byte file");
        }
        Assert.Equal(Mutations, reads + errors);
        Assert.True(errors > Mutations / 4, $"{name}, seed {seed}: only {errors} of {Mutations} mutations were refused");
    }

    /// <summary>The seed of mutation <paramref name="index"/> of a file's <paramref name="seed"/>.</summary>
    private static int MutationSeed(int seed, int index) => seed * 100_003 + index;

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0: // flip a few bits anywhere
                for (int k = random.Next(1, 9); k > 0; k--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // cut the file short
                return bytes[..random.Next(bytes.Length)];
            case 2: // overwrite a header byte (magic or a dimension, for raw files)
                bytes[random.Next(Math.Min(16, bytes.Length))] = (byte)random.Next(256);
                return bytes;
            case 3: // append junk
                var junk = new byte[random.Next(1, 64)];
                random.NextBytes(junk);
                return [.. bytes, .. junk];
            default: // a huge dimension in an otherwise valid raw header
                int at = 4 + 4 * random.Next(3);
                if (at + 4 <= bytes.Length && bytes[0] == 0) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(at), random.Next(1, int.MaxValue));
                else bytes[random.Next(bytes.Length)] ^= 0xFF;
                return bytes;
        }
    }
}
