function __jina_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __jina_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __jina_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __jina_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __jina_parse_tokens -S
    set -l unparsed_tokens (__jina_tokens -pc)
    switch $unparsed_tokens[1]
    case 'jina'
        __jina_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'hello'
            __jina_parse_subcommand 0 'uses=' 'corpus=' 'query=+' 'top-k=' 'workspace=' 'log-format=' 'quiet' 'v/verbose' 'version' 'h/help'
        case 'flow'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __jina_parse_subcommand 0 'uses=' 'inputs=' 'prefetch=' 'timeout=' 'shutdown-timeout=' 'log-format=' 'quiet' 'v/verbose' 'on=' 'input-format=' 'read-mode=' 'request-size=' 'parameters=' 'target-executor=' 'output=' 'var=+' 'python=' 'py-modules=+' 'protocol=+' 'port=+' 'host=' 'cors' 'ssl-certfile=' 'ssl-keyfile=' 'exit-with-stdin' 'watch' 'version' 'h/help'
            case 'serve'
                __jina_parse_subcommand 0 'uses=' 'protocol=+' 'port=+' 'host=' 'cors' 'ssl-certfile=' 'ssl-keyfile=' 'exit-with-stdin' 'watch' 'prefetch=' 'timeout=' 'shutdown-timeout=' 'var=+' 'python=' 'py-modules=+' 'log-format=' 'quiet' 'v/verbose' 'version' 'h/help'
            case 'test'
                __jina_parse_subcommand -r 1 'format=' 'timeout=' 'var=+' 'python=' 'py-modules=+' 'log-format=' 'quiet' 'v/verbose' 'version' 'h/help'
            case 'lint'
                __jina_parse_subcommand -r 1 'format=' 'strict' 'var=+' 'python=' 'py-modules=+' 'version' 'h/help'
            case 'plot'
                __jina_parse_subcommand 1 'uses=' 'o/output=' 'format=' 'vertical' 'var=+' 'python=' 'py-modules=+' 'version' 'h/help'
            end
        case 'executor'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'run'
                __jina_parse_subcommand 0 'uses=' 'stdio' 'port=' 'host=' 'shutdown-timeout=' 'framing=' 'var=+' 'python=' 'py-modules=+' 'log-format=' 'quiet' 'v/verbose' 'version' 'h/help'
            case 'list'
                __jina_parse_subcommand 0 'version' 'h/help'
            case 'check'
                __jina_parse_subcommand -r 1 'framing=' 'timeout=' 'version' 'h/help'
            case 'spec'
                __jina_parse_subcommand 0 'uses=' 'var=+' 'python=' 'py-modules=+' 'version' 'h/help'
            end
        case 'plot'
            __jina_parse_subcommand 1 'uses=' 'o/output=' 'format=' 'vertical' 'var=+' 'python=' 'py-modules=+' 'version' 'h/help'
        case 'client'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'post'
                __jina_parse_subcommand 0 'host=' 'port=' 'protocol=' 'inputs=' 'prefetch=' 'on=' 'input-format=' 'read-mode=' 'request-size=' 'parameters=' 'target-executor=' 'output=' 'tls-ca-file=' 'tls-insecure' 'wait-ready=' 'timeout=' 'version' 'h/help'
            end
        case 'ping'
            __jina_parse_subcommand 2 'timeout=' 'attempts=' 'min-successful-attempts=' 'tls-ca-file=' 'tls-insecure' 'version' 'h/help'
        case 'export'
            __jina_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'docker-compose'
                __jina_parse_subcommand 2 'image=' 'var=+' 'python=' 'py-modules=+' 'version' 'h/help'
            case 'kubernetes'
                __jina_parse_subcommand 2 'image=' 'k8s-namespace=' 'var=+' 'python=' 'py-modules=+' 'version' 'h/help'
            end
        case 'help'
            __jina_parse_subcommand -r 1 'version'
        end
    end
end

function __jina_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __jina_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __jina_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __jina_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__jina_tokens -p)
    if test -z "$(__jina_tokens -t)"
        set -l index (count (__jina_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'jina' -f
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'hello' -d 'Index a bundled corpus and ask it questions: jina\'s job in one command.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'flow' -d 'Run, check and draw Flows.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'executor' -d 'Run one executor, or list the built-in executors.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'plot' -d 'Draw a Flow as SVG, Mermaid or Graphviz DOT, offline.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'client' -d 'Send requests to a running Flow over HTTP.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'ping' -d 'Check that a Flow or an executor is ready.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'export' -d 'Write a Flow as a docker-compose file or Kubernetes manifests.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" uses' -l 'uses' -d 'The Flow to run instead of the demo\'s.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" corpus' -l 'corpus' -d 'Documents to index (JSON Lines) instead of the demo\'s corpus.' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello"' -l 'query' -d 'A question to ask (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" top-k' -l 'top-k' -d 'Matches shown per question.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" workspace' -l 'workspace' -d 'Where the index is kept (default: $XDG_DATA_HOME/jina/hello).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" log-format' -l 'log-format' -d 'Log lines on stderr as text, or json: one object per line with ts (RFC 3339), level, msg, and executor and request_id where there is one; executors\' stderr is wrapped the same way.' -rfka 'text json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" quiet' -l 'quiet' -d 'Log errors only (what executors write to their stderr still shows).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" v verbose' -s 'v' -l 'verbose' -d 'Log more: when the Flow is ready and how long it took, a summary at the end, and debug lines.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina hello" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow" -eq 1' -fa 'run' -d 'Start a Flow, stream inputs through it, write the results, and stop.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow" -eq 1' -fa 'serve' -d 'Start a Flow and serve it over HTTP, gRPC or WebSocket until SIGINT or SIGTERM.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow" -eq 1' -fa 'test' -d 'Run Flow tests written in YAML: send documents, check what comes back.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow" -eq 1' -fa 'lint' -d 'Check Flow and executor YAML files without starting anything.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow" -eq 1' -fa 'plot' -d 'Draw a Flow as SVG, Mermaid or Graphviz DOT, offline.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" uses' -l 'uses' -d 'The Flow YAML.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" inputs' -l 'inputs' -d 'Documents to send: a file (.jsonl, .csv, text), a glob of files, or - for stdin.' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" prefetch' -l 'prefetch' -d 'Requests in flight at once (default: 8; 64 when serving).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" timeout' -l 'timeout' -d 'Fail a call that takes longer than this many milliseconds (0: no limit).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" shutdown-timeout' -l 'shutdown-timeout' -d 'Milliseconds the requests in flight get after SIGINT or SIGTERM, and executors get after their input closes, before TERM and KILL.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" log-format' -l 'log-format' -d 'Log lines on stderr as text, or json: one object per line with ts (RFC 3339), level, msg, and executor and request_id where there is one; executors\' stderr is wrapped the same way.' -rfka 'text json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" quiet' -l 'quiet' -d 'Log errors only (what executors write to their stderr still shows).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" v verbose' -s 'v' -l 'verbose' -d 'Log more: when the Flow is ready and how long it took, a summary at the end, and debug lines.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" on' -l 'on' -d 'The endpoint to call, e.g. /index.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" input-format' -l 'input-format' -d 'Format of the inputs when the extension does not say (stdin defaults to jsonl).' -rfka 'jsonl csv text files'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" read-mode' -l 'read-mode' -d 'With a glob: make documents of each file\'s uri, text or bytes.' -rfka 'uri text bytes'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" request-size' -l 'request-size' -d 'Documents per request.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" parameters' -l 'parameters' -d 'Parameters for the executors, as a JSON object.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" target-executor' -l 'target-executor' -d 'Only executors whose name matches this regex run; others pass requests through.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" output' -l 'output' -d 'What to write: docs (one document per line) or responses (one envelope per request).' -rfka 'docs responses'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run"' -l 'protocol' -d 'A protocol to serve: http, grpc or websocket; repeat for several, each on its own port (default: the Flow\'s `with: protocol`, else http).' -rfka 'http grpc websocket'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run"' -l 'port' -d 'Port to listen on, one per protocol in the same order (default: the Flow\'s `with: port`, else JINA_PORT for the first, else 0: a free port).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" host' -l 'host' -d 'Address to listen on (default: the Flow\'s `with: host`, else 127.0.0.1).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" cors' -l 'cors' -d 'Answer browsers on other origins (CORS headers), as the Flow\'s `with: cors: true` does.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" ssl-certfile' -l 'ssl-certfile' -d 'Serve over TLS with this PEM certificate (chain), with --ssl-keyfile: https://, grpcs://, wss:// (default: the Flow\'s `with: ssl_certfile`).' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" ssl-keyfile' -l 'ssl-keyfile' -d 'The PEM private key of --ssl-certfile, unencrypted (default: the Flow\'s `with: ssl_keyfile`).' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" exit-with-stdin' -l 'exit-with-stdin' -d 'Stop, as on SIGTERM, when standard input closes: a parent that holds the other end of a pipe takes the Flow with it when it exits (the Python Flow API does).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" watch' -l 'watch' -d 'Reload the Flow when its YAML or a file it reaches (executor YAML, py_modules) changes: the edited Flow is linted and started beside the running one, which serves until the new one is ready and then finishes its requests; an invalid edit keeps the running Flow. The gateway\'s own settings (with: port, protocol, host, cors, TLS, ...) apply at start only: an edit of them is reported, not applied.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" uses' -l 'uses' -d 'The Flow YAML.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve"' -l 'protocol' -d 'A protocol to serve: http, grpc or websocket; repeat for several, each on its own port (default: the Flow\'s `with: protocol`, else http).' -rfka 'http grpc websocket'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve"' -l 'port' -d 'Port to listen on, one per protocol in the same order (default: the Flow\'s `with: port`, else JINA_PORT for the first, else 0: a free port).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" host' -l 'host' -d 'Address to listen on (default: the Flow\'s `with: host`, else 127.0.0.1).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" cors' -l 'cors' -d 'Answer browsers on other origins (CORS headers), as the Flow\'s `with: cors: true` does.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" ssl-certfile' -l 'ssl-certfile' -d 'Serve over TLS with this PEM certificate (chain), with --ssl-keyfile: https://, grpcs://, wss:// (default: the Flow\'s `with: ssl_certfile`).' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" ssl-keyfile' -l 'ssl-keyfile' -d 'The PEM private key of --ssl-certfile, unencrypted (default: the Flow\'s `with: ssl_keyfile`).' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" exit-with-stdin' -l 'exit-with-stdin' -d 'Stop, as on SIGTERM, when standard input closes: a parent that holds the other end of a pipe takes the Flow with it when it exits (the Python Flow API does).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" watch' -l 'watch' -d 'Reload the Flow when its YAML or a file it reaches (executor YAML, py_modules) changes: the edited Flow is linted and started beside the running one, which serves until the new one is ready and then finishes its requests; an invalid edit keeps the running Flow. The gateway\'s own settings (with: port, protocol, host, cors, TLS, ...) apply at start only: an edit of them is reported, not applied.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" prefetch' -l 'prefetch' -d 'Requests in flight in the Flow at once; more wait.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" timeout' -l 'timeout' -d 'Fail a call that takes longer than this many milliseconds (0: no limit).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" shutdown-timeout' -l 'shutdown-timeout' -d 'Milliseconds to finish the requests in flight, and then for executors to exit, before they are killed.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" log-format' -l 'log-format' -d 'Log lines on stderr as text, or json: one object per line with ts (RFC 3339), level, msg, and executor and request_id where there is one; executors\' stderr is wrapped the same way.' -rfka 'text json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" quiet' -l 'quiet' -d 'Log errors only (what executors write to their stderr still shows).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" v verbose' -s 'v' -l 'verbose' -d 'Log more: when the Flow is ready and how long it took, a summary at the end, and debug lines.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow test" -ge 1' -fa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" format' -l 'format' -d 'Output format: text (a line per test), junit (JUnit XML for CI systems) or json.' -rfka 'text junit json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" timeout' -l 'timeout' -d 'Milliseconds each request may take (0: no limit).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" log-format' -l 'log-format' -d 'Log lines on stderr as text, or json: one object per line with ts (RFC 3339), level, msg, and executor and request_id where there is one; executors\' stderr is wrapped the same way.' -rfka 'text json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" quiet' -l 'quiet' -d 'Log errors only (what executors write to their stderr still shows).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" v verbose' -s 'v' -l 'verbose' -d 'Log more: when the Flow is ready and how long it took, a summary at the end, and debug lines.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow test" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow lint" -ge 1' -fa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint" format' -l 'format' -d 'Output format: text (one line per problem) or json (for editors and CI).' -rfka 'text json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint" strict' -l 'strict' -d 'Treat every warning as an error (an unset variable too).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow lint" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" uses' -l 'uses' -d 'The Flow YAML to draw.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina flow plot" -eq 1' -fa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" o output' -l 'output' -s 'o' -d 'Write to this file (.svg, .mmd or .dot); \'-\' for stdout.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" format' -l 'format' -d 'Output format; by default from the output file\'s extension.' -rfka 'svg mermaid dot'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" vertical' -l 'vertical' -d 'Lay the Flow out top to bottom instead of left to right.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina flow plot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina executor" -eq 1' -fa 'run' -d 'Serve one executor over the executor protocol, on stdin/stdout or on a TCP port.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina executor" -eq 1' -fa 'list' -d 'List the built-in executors with their \'with:\' parameters and endpoints.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina executor" -eq 1' -fa 'check' -d 'Check that a program speaks the executor protocol (docs/protocol.md).'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina executor" -eq 1' -fa 'spec' -d 'Print an executor YAML as the JSON spec its host is given.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" uses' -l 'uses' -d 'The executor: an executor YAML file or a built-in class name.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" stdio' -l 'stdio' -d 'Speak the executor protocol on stdin/stdout.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" port' -l 'port' -d 'Serve the executor protocol on this TCP port (0 picks a free one).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" host' -l 'host' -d 'The address to listen on with --port.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" shutdown-timeout' -l 'shutdown-timeout' -d 'With --port, milliseconds the calls in progress get after SIGTERM or SIGINT before the executor exits.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" framing' -l 'framing' -d 'Frame encoding: frames (length-prefixed) or lines (JSON per line).' -rfka 'frames lines'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" log-format' -l 'log-format' -d 'Log lines on stderr as text, or json: one object per line with ts (RFC 3339), level, msg, and executor and request_id where there is one; executors\' stderr is wrapped the same way.' -rfka 'text json'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" quiet' -l 'quiet' -d 'Log errors only (what executors write to their stderr still shows).'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" v verbose' -s 'v' -l 'verbose' -d 'Log more: when the Flow is ready and how long it took, a summary at the end, and debug lines.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor list" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor check" framing' -l 'framing' -d 'Frame encoding the program speaks: frames or lines.' -rfka 'frames lines'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor check" timeout' -l 'timeout' -d 'Seconds to wait for each answer.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor check" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor spec" uses' -l 'uses' -d 'The executor YAML.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor spec"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor spec" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor spec"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor spec" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina executor spec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" uses' -l 'uses' -d 'The Flow YAML to draw.' -rfa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina plot" -eq 1' -fa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" o output' -l 'output' -s 'o' -d 'Write to this file (.svg, .mmd or .dot); \'-\' for stdout.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" format' -l 'format' -d 'Output format; by default from the output file\'s extension.' -rfka 'svg mermaid dot'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" vertical' -l 'vertical' -d 'Lay the Flow out top to bottom instead of left to right.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina plot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina client" -eq 1' -fa 'post' -d 'Send documents to a running Flow\'s gateway and write what comes back.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" host' -l 'host' -d 'The gateway\'s host (or HOST:PORT, http://HOST:PORT, grpc://HOST:PORT, ws://HOST:PORT; over TLS https://, grpcs://, wss://).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" port' -l 'port' -d 'The gateway\'s port (default: JINA_PORT).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" protocol' -l 'protocol' -d 'The gateway\'s protocol: http, grpc or websocket (default: the address\'s scheme, else http).' -rfka 'http grpc websocket'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" inputs' -l 'inputs' -d 'Documents to send: a file (.jsonl, .csv, text), a glob of files, or - for stdin.' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" prefetch' -l 'prefetch' -d 'Requests in flight at once (and connections to the gateway).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" on' -l 'on' -d 'The endpoint to call, e.g. /index.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" input-format' -l 'input-format' -d 'Format of the inputs when the extension does not say (stdin defaults to jsonl).' -rfka 'jsonl csv text files'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" read-mode' -l 'read-mode' -d 'With a glob: make documents of each file\'s uri, text or bytes.' -rfka 'uri text bytes'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" request-size' -l 'request-size' -d 'Documents per request.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" parameters' -l 'parameters' -d 'Parameters for the executors, as a JSON object.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" target-executor' -l 'target-executor' -d 'Only executors whose name matches this regex run; others pass requests through.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" output' -l 'output' -d 'What to write: docs (one document per line) or responses (one envelope per request).' -rfka 'docs responses'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" tls-ca-file' -l 'tls-ca-file' -d 'Trust the gateway\'s certificate when this PEM CA (or the self-signed certificate itself) signed it, instead of the system\'s CAs; implies TLS for an address without a scheme.' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" tls-insecure' -l 'tls-insecure' -d 'Do not check the gateway\'s certificate (encrypted, but to whoever answers); implies TLS for an address without a scheme.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" wait-ready' -l 'wait-ready' -d 'First wait up to this many seconds for the Flow to be ready (GET /ready).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" timeout' -l 'timeout' -d 'Fail a request that takes longer than this many milliseconds (0: no limit).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina client post" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina ping" -eq 1' -fka 'flow executor'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" timeout' -l 'timeout' -d 'Milliseconds one attempt may take, connecting included.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" attempts' -l 'attempts' -d 'How many attempts to make.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" min-successful-attempts' -l 'min-successful-attempts' -d 'How many attempts must succeed.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" tls-ca-file' -l 'tls-ca-file' -d 'Trust the gateway\'s certificate when this PEM CA (or the self-signed certificate itself) signed it, instead of the system\'s CAs; implies TLS for an address without a scheme.' -rF
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" tls-insecure' -l 'tls-insecure' -d 'Do not check the gateway\'s certificate (encrypted, but to whoever answers); implies TLS for an address without a scheme.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina ping" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'docker-compose' -d 'Write docker-compose.yml and its jina-deploy/ folder beside it.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export" -eq 1' -fa 'kubernetes' -d 'Write Kubernetes manifests into a folder.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export docker-compose" -eq 1' -fa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" image' -l 'image' -d 'The image every service runs (it has jina on PATH, and python3 for Python executors).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export docker-compose" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export kubernetes" -eq 1' -fa '(set -l exts \'yml\' \'yaml\';for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.{$exts};printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_positional "jina export kubernetes" -eq 2' -fa '(__jina_complete_directories)'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" image' -l 'image' -d 'The image every container runs.' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" k8s-namespace' -l 'k8s-namespace' -d 'The namespace of every object (default: the Flow\'s name, else \'jina\').' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes"' -l 'var' -d 'Set a context variable for ${{ NAME }} (repeatable).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" python' -l 'python' -d 'The Python that runs Python executor classes (default: JINA_PYTHON, else python3 on PATH).' -rfka ''
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes"' -l 'py-modules' -d 'A Python file every executor may take its class from, after its own py_modules (repeatable).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'py\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" version' -l 'version' -d 'Show the version.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina export kubernetes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'jina' -n '__jina_should_offer_completions_for_flags_or_options "jina help" version' -l 'version' -d 'Show the version.'
