import Foundation
import JinaConfig
import Testing

/// The Flow DAG (SPEC §3 "Graph"): order, edges, joins, and the errors a wrong `needs` gives.
@Suite struct FlowGraphTests {
    /// Loads `executors:` items (YAML lines indented by two spaces) and builds the graph.
    private func build(_ executors: String) throws -> (graph: FlowGraph?, diagnostics: [Diagnostic]) {
        let yaml = "jtype: Flow\nexecutors:\n" + executors
        let result = ConfigLoader(environment: [:]).load(yaml: yaml, file: "flow.yml", directory: FileManager.default.temporaryDirectory.path)
        let flow = try #require(result.flow)
        return FlowGraph.build(flow)
    }

    private func graph(_ executors: String) throws -> FlowGraph {
        let (graph, diagnostics) = try build(executors)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.formatted))")
        return try #require(graph)
    }

    private func edges(_ graph: FlowGraph) -> [String] {
        graph.edges.map { "\($0.from)->\($0.to)" }
    }

    private func errors(_ executors: String) throws -> [Diagnostic] {
        let (graph, diagnostics) = try build(executors)
        #expect(graph == nil, "a graph with errors must not be built")
        return diagnostics.filter { $0.severity == .error }
    }

    // MARK: - Order and edges

    @Test func chainInFileOrderWithGatewayStartAndEnd() throws {
        let graph = try graph("""
              - name: a
              - name: b
              - name: c
            """)
        #expect(graph.order.map { graph.executors[$0].name } == ["a", "b", "c"])
        #expect(edges(graph) == ["gateway->a", "a->b", "b->c", "c->gateway_END"])
        #expect(graph.endNeeds == ["c"])
        #expect(graph.orphans.isEmpty)
    }

    @Test func orderIsTopologicalAndStableWithForwardReferences() throws {
        let graph = try graph("""
              - name: c
                needs: b
              - name: a
                needs: gateway
              - name: b
                needs: gateway
              - name: d
                needs: [c, a]
            """)
        #expect(graph.order.map { graph.executors[$0].name } == ["a", "b", "c", "d"])
        #expect(edges(graph) == ["gateway->a", "gateway->b", "b->c", "c->d", "a->d", "d->gateway_END"])
    }

    @Test func independentExecutorsKeepFileOrder() throws {
        let graph = try graph("""
              - name: z
                needs: gateway
              - name: y
                needs: gateway
              - name: x
                needs: [z, y]
            """)
        #expect(graph.order.map { graph.executors[$0].name } == ["z", "y", "x"])
    }

    @Test func fanOutAndFanIn() throws {
        let graph = try graph("""
              - name: p1
                needs: gateway
              - name: p2
                needs: gateway
              - name: p3
                needs: gateway
              - name: r1
                needs: [p1, p2, p3]
            """)
        #expect(edges(graph) == ["gateway->p1", "gateway->p2", "gateway->p3", "p1->r1", "p2->r1", "p3->r1", "r1->gateway_END"])
        #expect(graph.downstream(of: "gateway") == ["p1", "p2", "p3"])
        #expect(graph.downstream(of: "p2") == ["r1"])
        #expect(graph.orphans.isEmpty)
    }

    @Test func emptyExecutorListGoesStraightFromGatewayToEnd() throws {
        let graph = try graph("  []\n")
        #expect(graph.order.isEmpty)
        #expect(edges(graph) == ["gateway->gateway_END"])
    }

    // MARK: - Orphans

    @Test func orphanIsAWarningNamingIt() throws {
        let (graph, diagnostics) = try build("""
              - name: p1
                needs: gateway
              - name: p2
                needs: gateway
              - name: p3
                needs: gateway
              - name: r1
                needs: [p1, p2]
            """)
        #expect(graph?.orphans == ["p3"])
        #expect(diagnostics.count == 1)
        let d = try #require(diagnostics.first)
        #expect(d.severity == .warning)
        #expect(d.message.contains("'p3' is an orphan"))
        #expect(d.path == "executors[2]")
        #expect(d.location.mark == SourceMark(line: 7, column: 5))
    }

    @Test func needsAllLeavesNoOrphans() throws {
        let (graph, diagnostics) = try build("""
              - name: p1
                needs: gateway
              - name: p2
                needs: gateway
              - name: join
                method: needs_all
            """)
        #expect(diagnostics.isEmpty)
        #expect(graph?.orphans == [])
        #expect(graph?.downstream(of: "p2") == ["join"])
    }

    // MARK: - Errors

    @Test func unknownNeedSuggestsTheCloseName() throws {
        let errors = try errors("""
              - name: encoder
              - name: indexer
                needs: encodr
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.message == "unknown executor 'encodr'")
        #expect(errors.first?.hint == "did you mean 'encoder'?")
        #expect(errors.first?.location.mark == SourceMark(line: 5, column: 12))
        #expect(errors.first?.path == "executors[1].needs")
    }

    @Test func unknownNeedInAListNamesItsIndex() throws {
        let errors = try errors("""
              - name: a
              - name: b
                needs: [a, nothing_like_it]
            """)
        #expect(errors.first?.path == "executors[1].needs[1]")
        #expect(errors.first?.hint == nil)
    }

    @Test func selfNeedIsAnError() throws {
        let errors = try errors("""
              - name: a
                needs: [gateway, a]
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.message == "executor 'a' needs itself")
    }

    @Test func cycleIsPrintedAsAPath() throws {
        let errors = try errors("""
              - name: a
                needs: [gateway, c]
              - name: b
                needs: a
              - name: c
                needs: b
              - name: d
                needs: c
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.message == "needs form a cycle: a → b → c → a")
        #expect(errors.first?.path == "executors[0].needs")
    }

    @Test func cycleStartsAtTheFirstExecutorInFileOrder() throws {
        let errors = try errors("""
              - name: head
                needs: gateway
              - name: b
                needs: a
              - name: c
                needs: b
              - name: a
                needs: c
            """)
        #expect(errors.first?.message == "needs form a cycle: b → c → a → b")
        #expect(errors.first?.location.mark.line == 6)
    }

    @Test func duplicateNameIsAnErrorNamingTheFirst() throws {
        let errors = try errors("""
              - name: a
              - name: b
              - name: a
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.message == "duplicate executor name 'a' (also executors[0] at line 3)")
        #expect(errors.first?.location.mark == SourceMark(line: 5, column: 5))
    }

    @Test func gatewayIsAReservedName() throws {
        let errors = try errors("""
              - name: gateway
            """)
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("'gateway' is reserved") == true)
    }

    // MARK: - Entries whose `uses` failed

    @Test func graphDiagnosticsKeepTheFileIndexWhenAnEarlierEntryFailedToLoad() throws {
        let (_, diagnostics) = try build("""
              - name: broken
                uses: docker://x
              - name: p1
                needs: gateway
              - name: p2
                needs: gateway
            """)
        // The failed entry stays in the graph (as a pass-through), so p1 keeps its index.
        let orphan = try #require(diagnostics.first { $0.message.contains("orphan") && $0.message.contains("'p1'") })
        #expect(orphan.path == "executors[1]")
    }

    @Test func needingAnExecutorWhoseUsesFailedIsNotCalledUnknown() throws {
        let yaml = """
            jtype: Flow
            executors:
              - name: enc
                uses: docker://x
              - name: idx
                needs: enc
            """
        let dir = FileManager.default.temporaryDirectory.path
        let result = ConfigLoader(environment: [:]).load(yaml: yaml, file: "flow.yml", directory: dir)
        let flow = try #require(result.flow)
        let graphDiagnostics = FlowGraph.build(flow).diagnostics
        #expect(!graphDiagnostics.contains { $0.message == "unknown executor 'enc'" },
                "the only error should be the docker:// one: \(graphDiagnostics.map(\.formatted))")
    }
}
