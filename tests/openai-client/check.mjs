// check.mjs — the official openai package (pinned in package-lock.json) against a running `rgemma serve`:
// node check.mjs BASE_URL API_KEY. Prints one line per check; exits non-zero at the first failure.
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 120_000 });
const user = (content) => ({ role: 'user', content });
const greedy = { model: 'gpt-4o-mini', temperature: 0, max_tokens: 24 };

async function check(name, body) {
  await body();
  console.log(`ok - ${name}`);
}

let first;
await check('models.list names the loaded model', async () => {
  const models = await client.models.list();
  assert.equal(models.data.length, 1);
  assert.equal(models.data[0].id, 'demo-model');
});

await check('non-streaming chat', async () => {
  first = await client.chat.completions.create({ ...greedy, messages: [user('What is 12+30?')] });
  assert.equal(first.object, 'chat.completion');
  assert.equal(first.choices[0].message.role, 'assistant');
  assert.ok(first.choices[0].message.content.length > 0);
  assert.ok(['stop', 'length'].includes(first.choices[0].finish_reason));
  assert.equal(first.usage.total_tokens, first.usage.prompt_tokens + first.usage.completion_tokens);
});

await check('streaming chat gives the same text, a finish reason and usage', async () => {
  const stream = await client.chat.completions.create({
    ...greedy, messages: [user('What is 12+30?')], stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, first.choices[0].message.content);
  assert.equal(finish, first.choices[0].finish_reason);
  assert.equal(usage.completion_tokens, first.usage.completion_tokens);
});

await check('n = 2 gives two alternatives', async () => {
  const two = await client.chat.completions.create({
    model: 'x', messages: [user('Tell me a fortune.')], n: 2, temperature: 1.2, seed: 5, max_tokens: 16,
  });
  assert.deepEqual(two.choices.map((c) => c.index), [0, 1]);
  assert.notEqual(two.choices[0].message.content, two.choices[1].message.content);
});

await check('a stop string ends the text before it', async () => {
  const long = { ...greedy, max_tokens: 30, messages: [user('Tell me a fortune.')], ignore_eos: true };
  const whole = (await client.chat.completions.create(long)).choices[0].message.content;
  const stop = whole.slice(6, 8);
  const cut = await client.chat.completions.create({ ...long, stop: [stop] });
  assert.equal(cut.choices[0].message.content, whole.slice(0, whole.indexOf(stop)));
  assert.equal(cut.choices[0].finish_reason, 'stop');
});

await check('errors surface as the SDK error types', async () => {
  await assert.rejects(
    client.chat.completions.create({ ...greedy, messages: [user('hi')], presence_penalty: 1 }),
    (error) => error instanceof OpenAI.BadRequestError && error.status === 400 && error.param === 'presence_penalty',
  );
  const stranger = new OpenAI({ baseURL, apiKey: 'wrong', maxRetries: 0 });
  await assert.rejects(stranger.models.list(), (error) => error instanceof OpenAI.AuthenticationError);
  await assert.rejects(
    client.chat.completions.create({ ...greedy, messages: [user('hi')], tools: [{ type: 'function', function: { name: 'f' } }] }),
    (error) => error instanceof OpenAI.BadRequestError && error.param === 'tools',
  );
});

await check('a second turn resending the history resumes from the kept state', async () => {
  const answer = first.choices[0].message.content;
  const second = await client.chat.completions.create({
    ...greedy, messages: [user('What is 12+30?'), { role: 'assistant', content: answer }, user('And 20+21?')],
  });
  const cached = second.usage.prompt_tokens_details.cached_tokens;
  assert.ok(cached >= first.usage.prompt_tokens + first.usage.completion_tokens - 1,
            `cached_tokens ${cached} does not cover the history`);
  assert.ok(second.usage.prompt_tokens - cached < 20, `${second.usage.prompt_tokens - cached} tokens were fed`);
});
