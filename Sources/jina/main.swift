import Foundation
import JinaCLI

// A write to a child that has exited must be an error, not the end of the Flow.
signal(SIGPIPE, SIG_IGN)
await Jina.runAsMain()
