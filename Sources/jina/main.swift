import JinaCLI

await Jina.runAsMain()
