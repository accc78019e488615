import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
const n: number = workerData.n;
const db = new Database(':memory:');
db.exec('create table t(x)'); const put = db.prepare('insert into t values (?)');
for (let i = 0; i < n; i++) put.run(i);
const img = db.serialize();
try { parentPort!.postMessage({ img }, [img.buffer as ArrayBuffer]); parentPort!.postMessage({ transferred: img.byteLength }); }
catch (e) { parentPort!.postMessage({ err: String(e) }); }
