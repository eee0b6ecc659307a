// Two people in separate browsers chat in #general in real time, both ways.
import { authorOf, findApp, joinAs, send, waitForMessage } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `Ada ${tag}`;
  const bob = `Bob ${tag}`;
  const pageA = await newPage('ada');
  const pageB = await newPage('bob');
  await joinAs(pageA, app, ada);
  await joinAs(pageB, app, bob);

  const hello = `hello from Ada ${tag}`;
  const started = Date.now();
  await send(pageA, hello);
  await waitForMessage(pageA, ada, hello); // acknowledged to the sender
  await waitForMessage(pageB, bob, hello); // delivered to the other
  const author = await authorOf(pageB, hello);
  if (author !== ada) fail(`Bob sees "${hello}" as written by ${author}, not ${ada}`);

  const reply = `hi Ada, Bob here ${tag}`;
  await send(pageB, reply);
  await waitForMessage(pageA, ada, reply);
  if ((await authorOf(pageA, reply)) !== bob) fail(`Ada does not see "${reply}" as written by ${bob}`);
  console.log(`  round trip both ways in ${Date.now() - started} ms`);
});
