# Cookbook "Asynchronous Flow": AsyncFlow with an async generator, and alongside other work.
import asyncio

from jina import AsyncFlow, Document


async def async_inputs():
    for _ in range(10):
        yield Document()
        await asyncio.sleep(0.01)


async def main():
    seen = 0
    with AsyncFlow().add() as f:
        async for resp in f.post('/', async_inputs, request_size=2):
            seen += len(resp.docs)
    return seen


async def heavylifting():
    await asyncio.sleep(0.2)
    return 'done'


async def concurrent_main():
    return await asyncio.gather(main(), heavylifting())


if __name__ == '__main__':
    count, other = asyncio.run(concurrent_main())
    assert count == 10 and other == 'done', (count, other)
