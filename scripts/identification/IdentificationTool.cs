#:project ../../src/AcousticCore/AcousticCore.csproj
#:property AssemblyName=AcousticCore.IdentificationTool
#:property PublishAot=false

// Offline tool for the voice-identification engine: trains the universal background model (UBM)
// on the synthetic corpus and calibrates the decision threshold on held-out voices.
// Enrolment uses sentences 41-43 (about 10 s, like the committed test set and a realistic
// enrolment); trials use sentences 51-70, split into a calibration half and a check half.
// Corpus: tests/AcousticCore.Tests/Identification/Data/make_corpus.sh OUTDIR
//   dotnet run scripts/identification/IdentificationTool.cs -- train OUTDIR model.bin [components] [emIterations]
//   dotnet run scripts/identification/IdentificationTool.cs -- calibrate OUTDIR model.bin
// The calibrated model is embedded as src/AcousticCore/Identification/ubm.bin.
using System.Diagnostics;
using System.Globalization;
using AcousticCore.Identification;
using NAudio.Wave;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: train CORPUS MODEL [components] [emIterations] | calibrate CORPUS MODEL");
    return 2;
}

string corpus = args[1], modelPath = args[2];
if (args[0] == "train")
{
    int components = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 64;
    int em = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20;
    var all = new List<float>();
    int frames = 0, files = 0;
    foreach (string speaker in Directory.GetDirectories(Path.Combine(corpus, "ubm")).Order(StringComparer.Ordinal))
    {
        foreach (string file in Directory.GetFiles(speaker, "*.wav").Order(StringComparer.Ordinal))
        {
            (float[] audio, int rate) = ReadWav(file);
            int n = new SpeakerFeatureExtractor(rate).Extract(audio, out float[] f);
            all.AddRange(f);
            frames += n;
            files++;
        }
    }

    Console.WriteLine($"{files} files, {frames} voiced frames ({frames / 100.0 / 60:F1} min)");
    var sw = Stopwatch.StartNew();
    var lls = new List<double>();
    DiagonalGmm ubm = GmmTrainer.Train(all.ToArray(), frames, SpeakerFeatureExtractor.Dimension, components, emIterations: em, logLikelihoods: lls);
    Console.WriteLine($"trained K={components} in {sw.Elapsed.TotalSeconds:F1} s; mean log-likelihood per EM iteration: {string.Join(" ", lls.Select(v => v.ToString("F3")))}");
    // The threshold is set by `calibrate`; 0 (equal likelihood) is only the uncalibrated starting value.
    File.WriteAllBytes(modelPath, ubm.Serialize(0, SpeakerFeatureExtractor.Description));
    return 0;
}

if (args[0] == "calibrate")
{
    // Optional 4th argument: add white noise at this SNR (dB, relative to the clip's RMS) to the test
    // clips only; then the run only reports and does not write the threshold.
    double? snrDb = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : null;
    var noise = new Random(7);
    byte[] model = File.ReadAllBytes(modelPath);
    var engine = new GmmUbmSpeakerEngine(model);
    var speakers = Directory.GetDirectories(Path.Combine(corpus, "eval")).Order(StringComparer.Ordinal).ToArray();
    var prints = new byte[speakers.Length][];
    var tests = new List<(int Speaker, int Sentence, float[] Audio, int Rate)>();
    for (int s = 0; s < speakers.Length; s++)
    {
        var enrol = new List<float[]>();
        int rate = 0;
        for (int i = 41; i <= 43; i++)
        {
            (float[] a, rate) = ReadWav(Path.Combine(speakers[s], $"s{i:D2}.wav"));
            enrol.Add(a);
        }

        prints[s] = engine.Enrol(enrol, rate);
        for (int i = 51; i <= 70; i++)
        {
            (float[] a, int r) = ReadWav(Path.Combine(speakers[s], $"s{i:D2}.wav"));
            if (snrDb is double snr) AddNoise(a, snr, noise);
            tests.Add((s, i, a, r));
        }
    }

    var calT = new List<double>(); var calN = new List<double>();
    var chkT = new List<double>(); var chkN = new List<double>();
    var sw = Stopwatch.StartNew();
    var worstImpostor = new (double Score, int Speaker)[speakers.Length];
    Array.Fill(worstImpostor, (double.NegativeInfinity, -1));
    var minTarget = new double[speakers.Length];
    Array.Fill(minTarget, double.PositiveInfinity);
    foreach (var (spk, sentence, audio, rate) in tests)
    {
        int frames = GmmUbmSpeakerEngine.ExtractTrialFeatures(audio, rate, out float[] features);
        for (int s = 0; s < speakers.Length; s++)
        {
            double score = engine.ScoreVoiceprint(prints[s], features, frames);
            if (s == spk) minTarget[s] = Math.Min(minTarget[s], score);
            else if (score > worstImpostor[s].Score) worstImpostor[s] = (score, spk);
            bool target = s == spk;
            (sentence <= 60 ? (target ? calT : calN) : (target ? chkT : chkN)).Add(score);
        }
    }

    Console.WriteLine($"{speakers.Length} held-out speakers: {string.Join(", ", speakers.Select(Path.GetFileName))}");
    Console.WriteLine($"scored {tests.Count * speakers.Length} trials in {sw.Elapsed.TotalSeconds:F1} s");
    var (eerCal, threshold) = DetectionErrorRates.EqualErrorRate(calT.ToArray(), calN.ToArray());
    var (eerChk, _) = DetectionErrorRates.EqualErrorRate(chkT.ToArray(), chkN.ToArray());
    var allT = calT.Concat(chkT).ToArray(); var allN = calN.Concat(chkN).ToArray();
    var (eerAll, _) = DetectionErrorRates.EqualErrorRate(allT, allN);
    var (far, frr) = DetectionErrorRates.At(chkT.ToArray(), chkN.ToArray(), threshold);
    Console.WriteLine($"calibration half (s51-60): {calT.Count} target / {calN.Count} non-target trials, EER {eerCal:P2} at threshold {threshold:F4}");
    Console.WriteLine($"check half (s61-70):       {chkT.Count} target / {chkN.Count} non-target trials, EER {eerChk:P2}; at the calibrated threshold FAR {far:P2}, FRR {frr:P2}");
    Console.WriteLine($"all trials: EER {eerAll:P2}; target scores mean {allT.Average():F3} min {allT.Min():F3}; non-target mean {allN.Average():F3} max {allN.Max():F3}");

    for (int s = 0; s < speakers.Length; s++)
    {
        Console.WriteLine($"  {Path.GetFileName(speakers[s]),-26} lowest target {minTarget[s],7:F3}  highest impostor {worstImpostor[s].Score,7:F3} ({Path.GetFileName(speakers[worstImpostor[s].Speaker])})");
    }

    if (snrDb is not null)
    {
        Console.WriteLine($"test clips with white noise at {snrDb} dB SNR; threshold {engine.DecisionThreshold:F4}: FAR {DetectionErrorRates.At(allT, allN, engine.DecisionThreshold).FalseAcceptRate:P2}, FRR {DetectionErrorRates.At(allT, allN, engine.DecisionThreshold).FalseRejectRate:P2} (model not changed)");
        return 0;
    }

    DiagonalGmm ubm = engine.Background;
    File.WriteAllBytes(modelPath, ubm.Serialize(threshold, SpeakerFeatureExtractor.Description));
    Console.WriteLine($"wrote threshold {threshold:F4} into {modelPath}; model id {new GmmUbmSpeakerEngine(File.ReadAllBytes(modelPath)).ModelId}");
    return 0;
}

Console.Error.WriteLine($"unknown command {args[0]}");
return 2;

static void AddNoise(float[] x, double snrDb, Random random)
{
    double power = 0;
    foreach (float v in x) power += v * v;
    double sigma = Math.Sqrt(power / x.Length / Math.Pow(10, snrDb / 10));
    for (int i = 0; i < x.Length; i++)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        x[i] += (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}

static (float[] Audio, int Rate) ReadWav(string path)
{
    using var reader = new WaveFileReader(path);
    if (reader.WaveFormat.Channels != 1) throw new InvalidDataException($"{path}: expected mono");
    ISampleProvider samples = reader.ToSampleProvider();
    var result = new List<float>();
    var buffer = new float[4096];
    int n;
    while ((n = samples.Read(buffer.AsSpan())) > 0) result.AddRange(buffer.AsSpan(0, n));
    return (result.ToArray(), reader.WaveFormat.SampleRate);
}
