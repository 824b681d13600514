import Foundation
import JinaWire

/// A Swift executor with its endpoint bindings, answering call frames (SPEC §3 "Routing").
public final class LoadedExecutor {
    public let spec: ExecutorSpec
    private let executor: any SwiftExecutor
    private let methodsReadingEmbeddings: Set<String>
    /// The host reads and decodes the next calls while this one answers (`SwiftExecutor.readsAhead`).
    public let readsAhead: Bool
    /// Endpoint → method; `/default` is the fallback for endpoints without their own binding.
    public let bindings: [String: String]

    public init(_ spec: ExecutorSpec, label: String? = nil) throws {
        guard let type = BuiltinRegistry.types[spec.jtype] else {
            throw ExecutorError("NotFound", "no built-in executor '\(spec.jtype)' (see 'jina executor list')")
        }
        self.spec = spec
        executor = try type.init(with: spec.with, context: ExecutorContext(name: spec.name, label: label, workspace: spec.workspace,
                                                                                 runtime: spec.runtime))
        var bindings: [String: String] = [:]
        for (endpoint, method) in type.defaultBindings { bindings[endpoint] = method }
        let methods = Set(type.defaultBindings.map(\.method))
        for (endpoint, method) in spec.requests {
            guard methods.contains(method) else {
                throw ExecutorError("ValueError", "\(spec.jtype) has no method '\(method)' (requests: \(endpoint)); it has \(methods.sorted().joined(separator: ", "))")
            }
            bindings[endpoint] = method
        }
        self.bindings = bindings
        methodsReadingEmbeddings = type.methodsReadingEmbeddings
        readsAhead = type.readsAhead
    }

    /// The endpoints it binds, for the hello frame.
    public var endpoints: [String] { bindings.keys.sorted() }

    public func hello(maxFrameSize: Int) -> Frame {
        Frame(.hello, [("name", .string(spec.name)), ("endpoints", .array(endpoints.map(JSONValue.string))),
                       ("max_frame", .number(JSONNumber(maxFrameSize))), ("pid", .number(JSONNumber(Int(getpid()))))])
    }

    /// A call read and its documents decoded, ready to run: the part of a call that touches no
    /// executor state, so the host can do it for the next call while this one runs.
    public struct PreparedCall: Sendable {
        let frame: Frame
        /// nil: no method is bound to the endpoint (the documents pass through).
        let method: String?
        let call: Result<ExecutorCall, DocumentArray.DecodeError>
    }

    public func prepare(_ frame: Frame) -> PreparedCall {
        let endpoint = frame.endpoint ?? "/default"
        guard let method = bindings[endpoint] ?? bindings["/default"] else {
            return PreparedCall(frame: frame, method: nil, call: .success(ExecutorCall(endpoint: endpoint)))
        }
        let call = Result { () throws(DocumentArray.DecodeError) -> ExecutorCall in
            var call = ExecutorCall(endpoint: endpoint, parameters: frame.parameters)
            if methodsReadingEmbeddings.contains(method) {
                call.embedded = try EmbeddedDocument.decode(frame.body)
            } else {
                call.docs = try DocumentArray.decode(frame.body)
                call.docsMatrix = Self.matrix(call.docs, splits: frame.header["splits"])
            }
            return call
        }
        return PreparedCall(frame: frame, method: method, call: call)
    }

    /// The answer to one call: a result, or an error holding the documents as they came.
    public func handle(_ frame: Frame) -> Frame {
        answer(prepare(frame))
    }

    /// Runs a prepared call; the executor's state is touched here only.
    public func answer(_ prepared: PreparedCall) -> Frame {
        let frame = prepared.frame
        // Nothing bound: pass through. An empty result without a count means "unchanged", so the
        // documents are not sent back.
        guard let method = prepared.method else { return Frame(.result, id: frame.id) }
        do {
            var call = try prepared.call.get()
            try executor.run(method: method, &call)
            if call.documentsUnchanged { return Frame(.result, id: frame.id) }
            return Frame(.result, id: frame.id, body: DocumentArray.encode(call.docs), [("count", .number(JSONNumber(call.docs.count)))])
        } catch {
            return errorFrame(id: frame.id, error, body: frame.body, count: frame.count)
        }
    }

    private func errorFrame(id: Int?, _ error: Error, body: [UInt8], count: Int?) -> Frame {
        let name: String, message: String
        if let e = error as? ExecutorError { (name, message) = (e.name, e.message) } else if let e = error as? DocumentArray.DecodeError {
            (name, message) = ("BadDocuments", e.message)
        } else {
            (name, message) = (String(describing: type(of: error)), String(describing: error))
        }
        let status = RequestFailure.status(name: name, message: message, executor: spec.name)
        var fields: [(String, JSONValue)] = [("status", .object(status))]
        if let count { fields.append(("count", .number(JSONNumber(count)))) }
        return Frame(.error, id: id, body: body, fields)
    }

    /// `splits` are document counts per upstream branch (a join's `docs_matrix`).
    static func matrix(_ docs: [Document], splits: JSONValue?) -> [[Document]]? {
        guard let counts = splits?.arrayValue?.compactMap(\.intValue), counts.count > 1 else { return nil }
        var matrix: [[Document]] = []
        var start = 0
        for n in counts {
            let end = min(start + max(n, 0), docs.count)
            matrix.append(Array(docs[start..<end]))
            start = end
        }
        return matrix
    }
}
