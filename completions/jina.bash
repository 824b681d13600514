#!/bin/bash

__jina_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__jina_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__jina_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__jina_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_jina() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    hello|flow|executor|plot|client|ping|export|help)
        # Offer subcommand argument completions
        "_jina_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'hello flow executor plot client ping export help' -- "${cur}"))
        ;;
    esac
}

_jina_hello() {
    repeating_flags=()
    non_repeating_flags=(--quiet -v --verbose --version -h --help)
    repeating_options=(--query)
    non_repeating_options=(--uses --corpus --top-k --workspace --log-format)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--corpus')
        __jina_add_completions -f
        return
        ;;
    '--query')
        return
        ;;
    '--top-k')
        return
        ;;
    '--workspace')
        return
        ;;
    '--log-format')
        __jina_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_jina_flow() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run|serve|test|lint|plot)
        # Offer subcommand argument completions
        "_jina_flow_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run serve test lint plot' -- "${cur}"))
        ;;
    esac
}

_jina_flow_run() {
    repeating_flags=()
    non_repeating_flags=(--quiet -v --verbose --cors --exit-with-stdin --watch --version -h --help)
    repeating_options=(--var --py-modules --protocol --port)
    non_repeating_options=(--uses --inputs --prefetch --timeout --shutdown-timeout --log-format --on --input-format --read-mode --request-size --parameters --target-executor --output --python --host --ssl-certfile --ssl-keyfile)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--inputs')
        __jina_add_completions -f
        return
        ;;
    '--prefetch')
        return
        ;;
    '--timeout')
        return
        ;;
    '--shutdown-timeout')
        return
        ;;
    '--log-format')
        __jina_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--on')
        return
        ;;
    '--input-format')
        __jina_add_completions -W 'jsonl'$'\n''csv'$'\n''text'$'\n''files'
        return
        ;;
    '--read-mode')
        __jina_add_completions -W 'uri'$'\n''text'$'\n''bytes'
        return
        ;;
    '--request-size')
        return
        ;;
    '--parameters')
        return
        ;;
    '--target-executor')
        return
        ;;
    '--output')
        __jina_add_completions -W 'docs'$'\n''responses'
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    '--protocol')
        __jina_add_completions -W 'http'$'\n''grpc'$'\n''websocket'
        return
        ;;
    '--port')
        return
        ;;
    '--host')
        return
        ;;
    '--ssl-certfile')
        __jina_add_completions -f
        return
        ;;
    '--ssl-keyfile')
        __jina_add_completions -f
        return
        ;;
    esac
}

_jina_flow_serve() {
    repeating_flags=()
    non_repeating_flags=(--cors --exit-with-stdin --watch --quiet -v --verbose --version -h --help)
    repeating_options=(--protocol --port --var --py-modules)
    non_repeating_options=(--uses --host --ssl-certfile --ssl-keyfile --prefetch --timeout --shutdown-timeout --python --log-format)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--protocol')
        __jina_add_completions -W 'http'$'\n''grpc'$'\n''websocket'
        return
        ;;
    '--port')
        return
        ;;
    '--host')
        return
        ;;
    '--ssl-certfile')
        __jina_add_completions -f
        return
        ;;
    '--ssl-keyfile')
        __jina_add_completions -f
        return
        ;;
    '--prefetch')
        return
        ;;
    '--timeout')
        return
        ;;
    '--shutdown-timeout')
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    '--log-format')
        __jina_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_jina_flow_test() {
    repeating_flags=()
    non_repeating_flags=(--quiet -v --verbose --version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--format --timeout --python --log-format)
    __jina_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __jina_add_completions -W 'text'$'\n''junit'$'\n''json'
        return
        ;;
    '--timeout')
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    '--log-format')
        __jina_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    esac
}

_jina_flow_lint() {
    repeating_flags=()
    non_repeating_flags=(--strict --version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--format --python)
    __jina_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--format')
        __jina_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    esac
}

_jina_flow_plot() {
    repeating_flags=()
    non_repeating_flags=(--vertical --version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--uses --output -o --format --python)
    __jina_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--output'|'-o')
        return
        ;;
    '--format')
        __jina_add_completions -W 'svg'$'\n''mermaid'$'\n''dot'
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    esac
}

_jina_executor() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    run|list|check|spec)
        # Offer subcommand argument completions
        "_jina_executor_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'run list check spec' -- "${cur}"))
        ;;
    esac
}

_jina_executor_run() {
    repeating_flags=()
    non_repeating_flags=(--stdio --quiet -v --verbose --version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--uses --port --host --shutdown-timeout --framing --python --log-format)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--port')
        return
        ;;
    '--host')
        return
        ;;
    '--shutdown-timeout')
        return
        ;;
    '--framing')
        __jina_add_completions -W 'frames'$'\n''lines'
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    '--log-format')
        __jina_add_completions -W 'text'$'\n''json'
        return
        ;;
    esac
}

_jina_executor_list() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0
}

_jina_executor_check() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--framing --timeout)
    __jina_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--framing')
        __jina_add_completions -W 'frames'$'\n''lines'
        return
        ;;
    '--timeout')
        return
        ;;
    esac
}

_jina_executor_spec() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--uses --python)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    esac
}

_jina_plot() {
    repeating_flags=()
    non_repeating_flags=(--vertical --version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--uses --output -o --format --python)
    __jina_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--uses')
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    '--output'|'-o')
        return
        ;;
    '--format')
        __jina_add_completions -W 'svg'$'\n''mermaid'$'\n''dot'
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    esac
}

_jina_client() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    post)
        # Offer subcommand argument completions
        "_jina_client_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'post' -- "${cur}"))
        ;;
    esac
}

_jina_client_post() {
    repeating_flags=()
    non_repeating_flags=(--tls-insecure --version -h --help)
    repeating_options=()
    non_repeating_options=(--host --port --protocol --inputs --prefetch --on --input-format --read-mode --request-size --parameters --target-executor --output --tls-ca-file --wait-ready --timeout)
    __jina_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--host')
        return
        ;;
    '--port')
        return
        ;;
    '--protocol')
        __jina_add_completions -W 'http'$'\n''grpc'$'\n''websocket'
        return
        ;;
    '--inputs')
        __jina_add_completions -f
        return
        ;;
    '--prefetch')
        return
        ;;
    '--on')
        return
        ;;
    '--input-format')
        __jina_add_completions -W 'jsonl'$'\n''csv'$'\n''text'$'\n''files'
        return
        ;;
    '--read-mode')
        __jina_add_completions -W 'uri'$'\n''text'$'\n''bytes'
        return
        ;;
    '--request-size')
        return
        ;;
    '--parameters')
        return
        ;;
    '--target-executor')
        return
        ;;
    '--output')
        __jina_add_completions -W 'docs'$'\n''responses'
        return
        ;;
    '--tls-ca-file')
        __jina_add_completions -f
        return
        ;;
    '--wait-ready')
        return
        ;;
    '--timeout')
        return
        ;;
    esac
}

_jina_ping() {
    repeating_flags=()
    non_repeating_flags=(--tls-insecure --version -h --help)
    repeating_options=()
    non_repeating_options=(--timeout --attempts --min-successful-attempts --tls-ca-file)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--timeout')
        return
        ;;
    '--attempts')
        return
        ;;
    '--min-successful-attempts')
        return
        ;;
    '--tls-ca-file')
        __jina_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __jina_add_completions -W 'flow'$'\n''executor'
        return
        ;;
    esac
}

_jina_export() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    docker-compose|kubernetes)
        # Offer subcommand argument completions
        "_jina_export_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'docker-compose kubernetes' -- "${cur}"))
        ;;
    esac
}

_jina_export_docker-compose() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--image --python)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--image')
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    esac
}

_jina_export_kubernetes() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=(--var --py-modules)
    non_repeating_options=(--image --k8s-namespace --python)
    __jina_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--image')
        return
        ;;
    '--k8s-namespace')
        return
        ;;
    '--var')
        return
        ;;
    '--python')
        return
        ;;
    '--py-modules')
        __jina_add_completions -o plusdirs -fX '!*.@(py)'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    1)
        __jina_add_completions -o plusdirs -fX '!*.@(yml|yaml)'
        return
        ;;
    2)
        __jina_add_completions -d
        return
        ;;
    esac
}

_jina_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __jina_offer_flags_options -1
}

complete -o filenames -F _jina jina
