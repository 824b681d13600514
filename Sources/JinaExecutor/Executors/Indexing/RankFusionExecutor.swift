import JinaWire

/// `RankFusion`: joins the searches of several indexers (hybrid search: a TextIndexer's BM25 and
/// a VectorIndexer's cosine, side by side in the Flow) into one ranking per query.
/// - `rrf` (reciprocal-rank fusion, the default): a match scores Σ weightᵦ / (k + rankᵦ) over
///   the branches that found it, rank counted from 1; scores of different scales never mix.
/// - `sum`: each branch's scores are min–max normalised to 0…1 within the query (a distance is
///   turned around first), then added up, weighted.
/// Each fused match keeps the scores its branches gave it, after its `rrf` or `fused` score.
/// Settings (`with:` or a request's parameters): `fusion`, `k` (60), `top_k` (10), `weights`
/// (one per branch in `needs` order, default 1 each). Other endpoints pass the first branch's
/// documents on, so `/index` answers each document once.
final class RankFusionExecutor: SwiftExecutor {
    enum Fusion: String { case rrf, sum }

    private let settings: JSONObject
    /// Its name in the Flow, which a query's error names.
    private let name: String

    init(with parameters: JSONObject, context: ExecutorContext) throws {
        settings = parameters
        name = context.entryName
        _ = try Self.fusion(parameters)
    }

    static let defaultBindings: [(endpoint: String, method: String)] = [("/search", "fuse"), ("/default", "first")]

    func run(method: String, _ call: inout ExecutorCall) throws {
        guard let matrix = call.docsMatrix, matrix.count > 1 else { return }
        guard method == "fuse" else {
            call.docs = matrix[0]
            return
        }
        let settings = self.settings.overlaid(by: call.parameters)
        let fusion = try Self.fusion(settings)
        let k = settings.double("k", or: 60)
        let topK = settings.int("top_k", or: 10)
        let weights = settings["weights"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        call.docs = matrix[0].indices.map { i in
            var query = matrix[0][i]
            let lists = matrix.map { branch in i < branch.count ? branch[i].fields["matches"]?.arrayValue ?? [] : [] }
            query.fields["matches"] = .array(Array(Self.fuse(lists, fusion: fusion, k: k, weights: weights).prefix(topK)))
            query.error = Self.error(of: matrix.map { branch in i < branch.count ? branch[i] : Document() }, at: name)
            return query
        }
    }

    /// A query that one branch could not search (a text index given no words) is still served by
    /// the others; only when every branch failed it is it an error, naming what each one missed.
    static func error(of branches: [Document], at executor: String) -> DocumentError? {
        let errors = branches.compactMap(\.error)
        guard errors.count == branches.count, let first = errors.first else { return nil }
        if Set(errors.map(\.message)).count == 1 { return DocumentError(executor: executor, name: first.name, message: first.message) }
        return DocumentError(executor: executor, name: first.name,
                             message: "no branch could search it: " + errors.map { "\($0.executor): \($0.message)" }.joined(separator: "; "))
    }

    static func fusion(_ settings: JSONObject) throws -> Fusion {
        let name = settings.string("fusion", or: "rrf")
        guard let fusion = Fusion(rawValue: name) else { throw ExecutorError("ValueError", "fusion must be rrf or sum, not '\(name)'") }
        return fusion
    }

    /// One ranking from several, best first. Matches are told apart by id.
    static func fuse(_ lists: [[JSONValue]], fusion: Fusion, k: Double, weights: [Double]) -> [JSONValue] {
        var fused: [String: (match: JSONObject, score: Double, first: Int)] = [:]
        var order = 0
        for (branch, list) in lists.enumerated() {
            let weight = branch < weights.count ? weights[branch] : 1
            let contributions = fusion == .rrf
                ? list.indices.map { weight / (k + Double($0 + 1)) }
                : normalised(list.map(primaryScore)).map { weight * $0 }
            for (match, contribution) in zip(list, contributions) {
                guard let fields = match.objectValue, let id = fields["id"]?.stringValue else { continue }
                if var known = fused[id] {
                    known.score += contribution
                    var scores = known.match["scores"]?.objectValue ?? JSONObject()
                    for (name, value) in fields["scores"]?.objectValue ?? JSONObject() where scores[name] == nil { scores[name] = value }
                    known.match["scores"] = .object(scores)
                    fused[id] = known
                } else {
                    fused[id] = (fields, contribution, order)
                    order += 1
                }
            }
        }
        let name = fusion == .rrf ? "rrf" : "fused"
        return fused.values.sorted { $0.score != $1.score ? $0.score > $1.score : $0.first < $1.first }.map { entry in
            .object(MatchFields.scoredFirst(entry.match, name, entry.score, by: "RankFusion"))
        }
    }

    /// A match's own score, higher is closer (a euclidean distance is turned around).
    static func primaryScore(_ match: JSONValue) -> Double {
        guard let (name, value) = match["scores"]?.objectValue?.first(where: { _ in true }),
              let score = value["value"]?.doubleValue else { return 0 }
        return name == "euclidean" ? -score : score
    }

    /// Scores mapped onto 0…1 (all 1 when they are equal).
    static func normalised(_ scores: [Double]) -> [Double] {
        guard let low = scores.min(), let high = scores.max(), high > low else { return scores.map { _ in 1 } }
        return scores.map { ($0 - low) / (high - low) }
    }
}
