// Drives a Kaskade gateway with the official `openai` npm client (OpenAiNodeClientIT).
// Usage: node client.mjs <baseURL>. Prints one JSON line of what the SDK returned; the Java test
// asserts on it, so this script only observes (and fails loudly on an unexpected exception).
import OpenAI, { NotFoundError, BadRequestError } from 'openai';

const client = new OpenAI({ baseURL: process.argv[2], apiKey: 'unused', maxRetries: 0, timeout: 60_000 });
const out = {};
const chatRequest = {
  model: 'tiny-lm',
  messages: [{ role: 'user', content: 'Hello' }],
  max_tokens: 40,
  temperature: 0,
};

const chat = await client.chat.completions.create(chatRequest);
out.chat = {
  id: chat.id,
  object: chat.object,
  role: chat.choices[0].message.role,
  content: chat.choices[0].message.content,
  finish: chat.choices[0].finish_reason,
  usage: chat.usage,
};

const stream = await client.chat.completions.create({
  ...chatRequest,
  stream: true,
  stream_options: { include_usage: true },
});
const streamed = { text: '', finishes: [], usage: null, chunks: 0, roles: [], objects: new Set(), ids: new Set(), afterFinish: 0 };
for await (const chunk of stream) {
  streamed.chunks++;
  streamed.objects.add(chunk.object);
  streamed.ids.add(chunk.id);
  if (streamed.finishes.length > 0 && chunk.choices.length > 0) streamed.afterFinish++;
  for (const choice of chunk.choices) {
    if (choice.delta.role) streamed.roles.push(choice.delta.role);
    streamed.text += choice.delta.content ?? '';
    if (choice.finish_reason) streamed.finishes.push(choice.finish_reason);
  }
  if (chunk.usage) streamed.usage = chunk.usage;
}
out.chatStream = { ...streamed, objects: [...streamed.objects], ids: [...streamed.ids] };

const completion = await client.completions.create({ model: 'tiny-lm', prompt: 'The gateway', max_tokens: 30, temperature: 0 });
out.completion = {
  object: completion.object,
  text: completion.choices[0].text,
  finish: completion.choices[0].finish_reason,
  usage: completion.usage,
};

const completionStream = await client.completions.create({ model: 'tiny-lm', prompt: 'The gateway', max_tokens: 30, temperature: 0, stream: true });
let completionText = '';
for await (const chunk of completionStream) {
  for (const choice of chunk.choices) completionText += choice.text ?? '';
}
out.completionStream = { text: completionText };

const sentences = ['A man is playing a guitar.', 'Someone plays the guitar.', 'The stock market fell sharply.'];
const defaulted = await client.embeddings.create({ model: 'minilm', input: sentences });
out.embeddingsDefault = {
  object: defaulted.object,
  model: defaulted.model,
  indexes: defaulted.data.map((d) => d.index),
  vectors: defaulted.data.map((d) => Array.from(d.embedding)),
  usage: defaulted.usage,
};
const floats = await client.embeddings.create({ model: 'minilm', input: sentences[0], encoding_format: 'float' });
out.embeddingsFloat = { vector: floats.data[0].embedding, isArray: Array.isArray(floats.data[0].embedding) };

const models = [];
for await (const model of client.models.list()) models.push({ id: model.id, object: model.object, owned_by: model.owned_by });
out.models = models;

out.errors = {};
async function failure(name, call) {
  try {
    await call();
    out.errors[name] = { thrown: false };
  } catch (e) {
    out.errors[name] = {
      thrown: true,
      className: e.constructor.name,
      notFound: e instanceof NotFoundError,
      badRequest: e instanceof BadRequestError,
      status: e.status,
      type: e.type,
      code: e.code,
      param: e.param,
      message: e.message,
    };
  }
}
await failure('unknownModel', () => client.chat.completions.create({ ...chatRequest, model: 'no-such-model' }));
await failure('badTemperature', () => client.chat.completions.create({ ...chatRequest, temperature: 7 }));

console.log(JSON.stringify(out));
