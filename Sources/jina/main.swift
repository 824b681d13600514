import JinaCLI

await Jina.main()
