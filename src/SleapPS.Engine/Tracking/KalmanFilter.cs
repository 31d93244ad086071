using static SleapPS.Engine.Tracking.SmallMatrix;

namespace SleapPS.Engine.Tracking;

/// <summary>A Gaussian belief about the state: its mean and covariance.</summary>
internal readonly record struct KalmanState(double[] Mean, double[,] Covariance);

/// <summary>
/// The linear-Gaussian model SLEAP fits per track with pykalman's <c>KalmanFilter</c>: every observed
/// coordinate (x and y of each followed node) has a position and a velocity, interleaved in the
/// state as [pos₀, vel₀, pos₁, vel₁, …]; the transition is pos' = pos + vel, vel' = vel and the
/// observation is the positions. Offsets are zero. Like pykalman's defaults, EM re-estimates the
/// transition covariance Q, the observation covariance R, the initial state mean and the initial
/// state covariance; the matrices stay fixed. Pseudo-inverses are used where pykalman uses them.
/// An observation with any NaN coordinate counts as missing (pykalman's masked observation).
/// </summary>
internal sealed class KalmanFilter
{
    private readonly double[,] _transition;
    private readonly double[,] _observation;

    private KalmanFilter(int observedCount, double[] initialStateMean)
    {
        int stateCount = 2 * observedCount;
        _transition = new double[stateCount, stateCount];
        _observation = new double[observedCount, stateCount];
        for (int c = 0; c < observedCount; c++)
        {
            _transition[2 * c, 2 * c] = 1;
            _transition[2 * c, 2 * c + 1] = 1;
            _transition[2 * c + 1, 2 * c + 1] = 1;
            _observation[c, 2 * c] = 1;
        }
        TransitionCovariance = Identity(stateCount);
        ObservationCovariance = Identity(observedCount);
        InitialStateMean = initialStateMean;
        InitialStateCovariance = Identity(stateCount);
    }

    /// <summary>
    /// SLEAP's starting point before EM: the initial mean has the first observation's positions and
    /// zero velocities; the covariances are identities (pykalman's defaults).
    /// </summary>
    public static KalmanFilter ConstantVelocity(double[] firstObservation)
    {
        var mean = new double[2 * firstObservation.Length];
        for (int c = 0; c < firstObservation.Length; c++) mean[2 * c] = firstObservation[c];
        return new KalmanFilter(firstObservation.Length, mean);
    }

    /// <summary>SLEAP's initialisation of a track's filter: <c>em(observations, n_iter=20)</c>, then the filtered state after the last observation.</summary>
    public static (KalmanFilter Filter, KalmanState Last) Fit(IReadOnlyList<double[]> observations, int iterations = 20)
    {
        var filter = ConstantVelocity(observations[0]);
        filter.Em(observations, iterations);
        var filtered = filter.Filter(observations);
        return (filter, filtered[^1]);
    }

    public int ObservedCount => _observation.GetLength(0);
    public int StateCount => _transition.GetLength(0);

    public double[,] TransitionCovariance { get; private set; }
    public double[,] ObservationCovariance { get; private set; }
    public double[] InitialStateMean { get; private set; }
    public double[,] InitialStateCovariance { get; private set; }

    /// <summary>The positions (observed coordinates) of a state mean: its even entries.</summary>
    public static double[] PositionsOf(double[] stateMean)
    {
        var positions = new double[stateMean.Length / 2];
        for (int c = 0; c < positions.Length; c++) positions[c] = stateMean[2 * c];
        return positions;
    }

    /// <summary>pykalman's <c>filter_update</c>: one step ahead, then corrected by <paramref name="observation"/> unless it is null or has a NaN.</summary>
    public KalmanState FilterUpdate(KalmanState current, double[]? observation)
    {
        var predicted = Predict(current);
        return Correct(predicted, observation);
    }

    /// <summary>pykalman's <c>filter</c>: the filtered state after each observation.</summary>
    public KalmanState[] Filter(IReadOnlyList<double[]> observations) => RunFilter(observations).Filtered;

    /// <summary>
    /// pykalman's <c>em</c> with its default variables: each iteration filters and smooths with the
    /// current parameters, then sets Q, R, the initial mean and the initial covariance to their
    /// expected-likelihood maxima.
    /// </summary>
    public void Em(IReadOnlyList<double[]> observations, int iterations)
    {
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var (predicted, filtered) = RunFilter(observations);
            var (smoothed, gains) = Smooth(predicted, filtered);
            var pairwise = PairwiseCovariances(smoothed, gains);

            ObservationCovariance = EstimateObservationCovariance(observations, smoothed);
            TransitionCovariance = EstimateTransitionCovariance(smoothed, pairwise);
            var x0 = smoothed[0].Mean;
            InitialStateMean = x0;
            // pykalman's general formula E[x0 x0ᵀ] - μ x0ᵀ - x0 μᵀ + μ μᵀ with μ = x0, kept as written
            // so that its rounding matches.
            InitialStateCovariance = Add(Subtract(Subtract(Add(smoothed[0].Covariance, Outer(x0, x0)), Outer(x0, x0)), Outer(x0, x0)), Outer(x0, x0));
        }
    }

    private static bool IsMissing(double[]? observation) => observation is null || observation.Any(double.IsNaN);

    private KalmanState Predict(KalmanState current) => new(
        Multiply(_transition, current.Mean),
        Add(Sandwich(_transition, current.Covariance), TransitionCovariance));

    private KalmanState Correct(KalmanState predicted, double[]? observation)
    {
        if (IsMissing(observation)) return predicted;
        var innovationCovariance = Add(Sandwich(_observation, predicted.Covariance), ObservationCovariance);
        var gain = Multiply(predicted.Covariance, Multiply(Transpose(_observation), PseudoInverse(innovationCovariance)));
        var innovation = Subtract(observation!, Multiply(_observation, predicted.Mean));
        var mean = Add(predicted.Mean, Multiply(gain, innovation));
        var covariance = Subtract(predicted.Covariance, Multiply(gain, Multiply(_observation, predicted.Covariance)));
        return new KalmanState(mean, covariance);
    }

    private (KalmanState[] Predicted, KalmanState[] Filtered) RunFilter(IReadOnlyList<double[]> observations)
    {
        var predicted = new KalmanState[observations.Count];
        var filtered = new KalmanState[observations.Count];
        for (int t = 0; t < observations.Count; t++)
        {
            predicted[t] = t == 0 ? new KalmanState(InitialStateMean, InitialStateCovariance) : Predict(filtered[t - 1]);
            filtered[t] = Correct(predicted[t], observations[t]);
        }
        return (predicted, filtered);
    }

    /// <summary>The Rauch-Tung-Striebel smoother: states given all observations, and the smoothing gains.</summary>
    private (KalmanState[] Smoothed, double[][,] Gains) Smooth(KalmanState[] predicted, KalmanState[] filtered)
    {
        int count = filtered.Length;
        var smoothed = new KalmanState[count];
        var gains = new double[Math.Max(count - 1, 0)][,];
        smoothed[^1] = filtered[^1];
        for (int t = count - 2; t >= 0; t--)
        {
            var gain = Multiply(filtered[t].Covariance, Multiply(Transpose(_transition), PseudoInverse(predicted[t + 1].Covariance)));
            var mean = Add(filtered[t].Mean, Multiply(gain, Subtract(smoothed[t + 1].Mean, predicted[t + 1].Mean)));
            var covariance = Add(filtered[t].Covariance,
                Multiply(gain, Multiply(Subtract(smoothed[t + 1].Covariance, predicted[t + 1].Covariance), Transpose(gain))));
            smoothed[t] = new KalmanState(mean, covariance);
            gains[t] = gain;
        }
        return (smoothed, gains);
    }

    /// <summary>Cov(x_t, x_{t-1}) given all observations, for t ≥ 1 (entry 0 is unused).</summary>
    private static double[,]?[] PairwiseCovariances(KalmanState[] smoothed, double[][,] gains)
    {
        var pairwise = new double[,]?[smoothed.Length];
        for (int t = 1; t < smoothed.Length; t++) pairwise[t] = Multiply(smoothed[t].Covariance, Transpose(gains[t - 1]));
        return pairwise;
    }

    /// <summary>R = mean over observed steps of (z − C x̂)(z − C x̂)ᵀ + C P Cᵀ (zero when nothing was observed).</summary>
    private double[,] EstimateObservationCovariance(IReadOnlyList<double[]> observations, KalmanState[] smoothed)
    {
        var sum = new double[ObservedCount, ObservedCount];
        int observedSteps = 0;
        for (int t = 0; t < observations.Count; t++)
        {
            if (IsMissing(observations[t])) continue;
            var error = Subtract(observations[t], Multiply(_observation, smoothed[t].Mean));
            sum = Add(sum, Add(Outer(error, error), Sandwich(_observation, smoothed[t].Covariance)));
            observedSteps++;
        }
        return observedSteps > 0 ? Scale(sum, 1.0 / observedSteps) : sum;
    }

    /// <summary>
    /// Q = mean over transitions of (x̂' − A x̂)(x̂' − A x̂)ᵀ + A P Aᵀ + P' − C' Aᵀ − (C' Aᵀ)ᵀ, with C' the
    /// pairwise covariance (zero when there is a single step, as in pykalman).
    /// </summary>
    private double[,] EstimateTransitionCovariance(KalmanState[] smoothed, double[,]?[] pairwise)
    {
        var sum = new double[StateCount, StateCount];
        for (int t = 0; t < smoothed.Length - 1; t++)
        {
            var error = Subtract(smoothed[t + 1].Mean, Multiply(_transition, smoothed[t].Mean));
            var crossTerm = Multiply(pairwise[t + 1]!, Transpose(_transition));
            sum = Add(sum, Subtract(Subtract(Add(Add(Outer(error, error), Sandwich(_transition, smoothed[t].Covariance)),
                smoothed[t + 1].Covariance), crossTerm), Transpose(crossTerm)));
        }
        return smoothed.Length > 1 ? Scale(sum, 1.0 / (smoothed.Length - 1)) : sum;
    }
}
