import JinaConfig

/// The Swift classes behind the names in `BuiltinExecutorCatalog` (JinaConfig holds what lint
/// and `jina executor list` show; this holds the code).
public enum BuiltinRegistry {
    public static let types: [String: any SwiftExecutor.Type] = [
        "BaseExecutor": PassThroughExecutor.self,
        "Echo": EchoExecutor.self,
        "Sleep": SleepExecutor.self,
        "Fail": FailExecutor.self,
        "Crash": CrashExecutor.self,
        "UpperCase": UpperCaseExecutor.self,
        "Segmenter": SegmenterExecutor.self,
        "TextEncoder": TextEncoderExecutor.self,
        "VectorIndexer": VectorIndexerExecutor.self,
        "TextIndexer": TextIndexerExecutor.self,
        "RankFusion": RankFusionExecutor.self,
        "MatchMerger": MatchMergerExecutor.self,
    ]
}
