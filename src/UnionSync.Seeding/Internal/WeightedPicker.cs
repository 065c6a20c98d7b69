namespace UnionSync.Seeding.Internal;

/// <summary>Draws one of a fixed list of values with probability proportional to its weight.</summary>
internal sealed class WeightedPicker<T>
{
    private readonly T[] _values;
    private readonly double[] _cumulative;
    private readonly double _total;

    public WeightedPicker(IReadOnlyList<T> values, IReadOnlyList<double> weights)
    {
        if (values.Count == 0 || values.Count != weights.Count)
        {
            throw new ArgumentException("A weighted list needs as many weights as values, and at least one.", nameof(weights));
        }

        _values = [.. values];
        _cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += weights[i];
            _cumulative[i] = sum;
        }

        _total = sum;
    }

    public int Count => _values.Length;

    public T this[int index] => _values[index];

    public int PickIndex(ref SeededRandom random)
    {
        var target = random.NextDouble() * _total;
        var index = Array.BinarySearch(_cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, _values.Length - 1);
    }

    public T Pick(ref SeededRandom random) => _values[PickIndex(ref random)];
}
