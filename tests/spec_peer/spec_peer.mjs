#!/usr/bin/env node
// An independent buyer of the LaneTorrent lane protocol, written from docs/lane-protocol.md alone
// (plus BEP 3, BEP 10 and Tron's public formats), to run against `lanetorrent-cli seed`.
//
//   node spec_peer.mjs keygen --out KEYFILE...       writes fresh keys, prints {"address": ...} each
//   node spec_peer.mjs selftest --proto DIR          the document's worked examples
//   node spec_peer.mjs run --mode MODE --seed IP:PORT --torrent FILE --key-file KEYFILE
//                          --node IP:PORT --proto DIR [--bind IP] [--lane fast] [--max-price U]
//                          [--bind2 IP] [--seconds N] [--linger N]
//
// Modes: honest, no-iou, one-unit-settlements, huge-iou, no-settle, stale-iou, second-connection.
// `run` prints one JSON line of figures last. Exit 0: honest held every rule (or a hostile mode
// ran to its end); 1: a rule was broken; 2: could not run. The private key is never printed.
import fs from 'node:fs';
import net from 'node:net';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { TronWeb, utils } from 'tronweb';
import { encode, decode, BencodeError } from './bencode.mjs';
import { Chain, TxBuilder } from './chain.mjs';
import {
    GIB, MIB, TYPE, TYPE_NAME, GRANT_REASONS, REJECT_CODES, cost, hex, base58, wireAddress,
    proofText, iouText, signText, recoverText, laneMessage, parseLnLanes, parseFromSeeder,
} from './lanes.mjs';
import { selftest } from './selftest.mjs';

const MODES = ['honest', 'no-iou', 'one-unit-settlements', 'huge-iou', 'no-settle', 'stale-iou', 'second-connection'];
const OUR_LN_LANES_ID = 21;
const BLOCK = 16384;
const PIPELINE = 64;
// LaneTorrent's maximum credit window ("The window": "up to the seeder's maximum (LaneTorrent:
// 128 MiB)"). Nothing on the wire tells a buyer the maximum, so the bound uses this figure.
const LANETORRENT_MAX_WINDOW = 128n * MIB;

const log = (...a) => process.stderr.write(`[spec_peer ${((Date.now() - started) / 1000).toFixed(2)}s] ${a.join(' ')}\n`);
const started = Date.now();
const now = () => (Date.now() - started) / 1000;
const json = (v) => JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? (x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x.toString()) : x));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- torrent (BEP 3, v1)

function loadTorrent(file) {
    const data = fs.readFileSync(file);
    const { value, spans } = decode(data, { strict: false, spans: true, limits: { maxDepth: 64, maxItems: 1e7 } });
    const info = value.get('info');
    const [a, b] = spans.get('info');
    const infoHash = crypto.createHash('sha1').update(data.subarray(a, b)).digest();
    const pieceLength = Number(info.get('piece length'));
    const pieces = info.get('pieces');
    let length = 0;
    if (info.has('length')) length = Number(info.get('length'));
    else for (const f of info.get('files')) length += Number(f.get('length'));
    const count = Math.ceil(length / pieceLength);
    if (pieces.length !== count * 20) throw new Error('pieces do not match the length');
    return { infoHash, pieceLength, length, count, hashes: Array.from({ length: count }, (_, i) => pieces.subarray(i * 20, i * 20 + 20)) };
}

// Blocks of the torrent, which of them are wanted, requested or received, and the verified pieces.
class Pieces {
    constructor(t) {
        this.t = t;
        this.bpp = Math.ceil(t.pieceLength / BLOCK);
        this.blocks = [];
        for (let p = 0; p < t.count; p++) {
            const size = Math.min(t.pieceLength, t.length - p * t.pieceLength);
            for (let begin = 0; begin < size; begin += BLOCK) this.blocks.push({ p, begin, len: Math.min(BLOCK, size - begin) });
        }
        this.state = new Uint8Array(this.blocks.length);  // 0 wanted, 1 requested, 2 received
        this.firstBlock = Array.from({ length: t.count }, () => 0);
        for (let i = this.blocks.length - 1; i >= 0; i--) this.firstBlock[this.blocks[i].p] = i;
        this.buffers = new Map();
        this.received = new Uint32Array(t.count);
        this.have = new Uint8Array(t.count);
        this.haveCount = 0;
        this.hashFailures = 0;
        this.retry = [];
        this.forward = 0;
        this.backward = this.blocks.length - 1;
    }
    blockCount(p) {
        return Math.ceil(Math.min(this.t.pieceLength, this.t.length - p * this.t.pieceLength) / BLOCK);
    }
    get complete() {
        return this.haveCount === this.t.count;
    }
    pick(backward) {
        while (this.retry.length) {
            const i = this.retry.pop();
            if (this.state[i] === 0) return i;
        }
        if (backward) {
            while (this.backward >= 0 && this.state[this.backward] !== 0) this.backward--;
            return this.backward >= 0 ? this.backward : -1;
        }
        while (this.forward < this.blocks.length && this.state[this.forward] !== 0) this.forward++;
        return this.forward < this.blocks.length ? this.forward : -1;
    }
    release(i) {
        if (this.state[i] === 1) {
            this.state[i] = 0;
            this.retry.push(i);
        }
    }
    // Returns 'verified', 'failed', 'duplicate' or null (piece not complete yet).
    store(p, begin, block) {
        const i = this.firstBlock[p] + begin / BLOCK;
        if (!Number.isInteger(i) || i >= this.blocks.length || this.blocks[i].p !== p) return null;
        if (this.state[i] === 2 || this.have[p]) return 'duplicate';
        if (block.length !== this.blocks[i].len) return null;
        let buf = this.buffers.get(p);
        if (!buf) this.buffers.set(p, (buf = Buffer.alloc(Math.min(this.t.pieceLength, this.t.length - p * this.t.pieceLength))));
        block.copy(buf, begin);
        this.state[i] = 2;
        if (++this.received[p] < this.blockCount(p)) return null;
        this.buffers.delete(p);
        if (crypto.createHash('sha1').update(buf).digest().equals(this.t.hashes[p])) {
            this.have[p] = 1;
            this.haveCount++;
            return 'verified';
        }
        this.hashFailures++;
        this.received[p] = 0;
        for (let j = this.firstBlock[p]; j < this.firstBlock[p] + this.blockCount(p); j++) {
            this.state[j] = 0;
            this.retry.push(j);
        }
        return 'failed';
    }
}

// ---------------------------------------------------------------- one BitTorrent connection

class Connection {
    constructor(buyer, { name, backward = false, prove = true, bind = null }) {
        this.buyer = buyer;
        this.bind = bind ?? buyer.opts.bind;
        this.name = name;
        this.backward = backward;
        this.wantsProof = prove;
        this.peerId = Buffer.concat([Buffer.from('-SP0100-'), Buffer.from(crypto.randomBytes(6).toString('hex'))]);
        this.nonce = crypto.randomBytes(16);
        this.buf = Buffer.alloc(0);
        this.handshaken = false;
        this.choked = true;
        this.inflight = new Set();
        this.lnId = 0;           // the seeder's id for ln_lanes
        this.offer = null;
        this.seederNonce = null;
        this.proven = false;     // sent a prove that was not refused
        this.requested = null;   // { lane, maxPrice } of the latest request
        this.unanswered = 0;     // requests without a grant yet
        this.lane = 'slow';
        this.price = 0n;         // the billing price of the current grant (0 when it is not billed)
        this.segment = null;     // { price, bytes } while a billed grant is in force
        this.bytes = { slow: 0, medium: 0, fast: 0 };
        this.payloadBytes = 0;
        this.closed = false;
        this.closedBy = null;
        this.msgWindow = { start: 0, count: 0 };
        this.openedAt = now();
        this.closedAt = null;
        this.leaveTimer = null;
        this.chokes = 0;
        this.duplicateBytes = 0;
    }

    open() {
        const [host, port] = this.buyer.opts.seed.split(':');
        this.socket = net.connect({ host, port: Number(port), localAddress: this.bind });
        this.socket.setNoDelay(true);
        this.socket.on('connect', () => {
            const reserved = Buffer.alloc(8);
            reserved[5] |= 0x10;  // BEP 10
            this.socket.write(Buffer.concat([Buffer.from([19]), Buffer.from('BitTorrent protocol'), reserved, this.buyer.torrent.infoHash, this.peerId]));
        });
        this.socket.on('data', (chunk) => this.onData(chunk));
        this.socket.on('error', (e) => log(this.name, 'socket error', e.code ?? e.message));
        this.socket.on('close', () => this.onClose());
    }

    close(why) {
        if (this.closed) return;
        this.closedBy = this.closedBy ?? `us: ${why}`;
        this.socket.destroy();
        this.onClose();
    }

    onClose() {
        if (this.closed) return;
        this.closed = true;
        this.closedAt = now();
        this.closedBy = this.closedBy ?? 'seeder';
        for (const i of this.inflight) this.buyer.pieces.release(i);
        this.inflight.clear();
        this.endSegment();
        clearTimeout(this.leaveTimer);
        log(this.name, 'closed by', this.closedBy);
        this.buyer.onConnectionClosed(this);
    }

    send(id, payload = Buffer.alloc(0)) {
        if (this.closed) return;
        const head = Buffer.alloc(5);
        head.writeUInt32BE(payload.length + 1, 0);
        head[4] = id;
        this.socket.write(Buffer.concat([head, payload]));
    }

    sendLane(fields) {
        const body = laneMessage(fields);
        this.sendLaneRaw(body);
        return body;
    }

    sendLaneRaw(body) {
        this.send(20, Buffer.concat([Buffer.from([this.lnId]), body]));
        this.buyer.sent.push({ t: now(), conn: this.name, type: TYPE_NAME[Number(decode(body).get('t'))] });
    }

    onData(chunk) {
        this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
        let off = 0;
        if (!this.handshaken) {
            if (this.buf.length < 68) return;
            if (this.buf[0] !== 19 || this.buf.toString('latin1', 1, 20) !== 'BitTorrent protocol') return this.close('bad handshake');
            if (!this.buf.subarray(28, 48).equals(this.buyer.torrent.infoHash)) return this.close('other torrent');
            this.seederExtensions = (this.buf[25] & 0x10) !== 0;
            this.seederPeerId = Buffer.from(this.buf.subarray(48, 68));
            this.handshaken = true;
            off = 68;
            // BEP 10 extended handshake, then interested.
            const lnLanes = new Map([['nonce', this.nonce], ['v', 2n]]);
            this.send(20, Buffer.concat([Buffer.from([0]), encode(new Map([
                ['ln_lanes', lnLanes], ['m', new Map([['ln_lanes', BigInt(OUR_LN_LANES_ID)]])], ['reqq', 500n], ['v', 'spec_peer'],
            ]))]));
            this.send(2);
        }
        while (this.buf.length - off >= 4) {
            const len = this.buf.readUInt32BE(off);
            if (len > 4 * BLOCK + 13 + (1 << 20)) return this.close('message too large');
            if (this.buf.length - off - 4 < len) break;
            const msg = this.buf.subarray(off + 4, off + 4 + len);
            off += 4 + len;
            if (len > 0) this.onMessage(msg[0], msg.subarray(1));
            if (this.closed) return;
        }
        this.buf = this.buf.subarray(off);
    }

    onMessage(id, body) {
        switch (id) {
            case 0:
                this.chokes++;
                this.choked = true;
                log(this.name, `choked (${this.inflight.size} requests outstanding)`);
                for (const i of this.inflight) this.buyer.pieces.release(i);
                this.inflight.clear();
                break;
            case 1:
                if (this.chokes) log(this.name, 'unchoked');
                this.choked = false;
                this.fill();
                break;
            case 7:
                this.onPiece(body.readUInt32BE(0), body.readUInt32BE(4), body.subarray(8));
                break;
            case 20:
                this.onExtended(body[0], body.subarray(1));
                break;
            default:
                break;  // have, bitfield, port, ...: the seeder has every piece
        }
    }

    onPiece(p, begin, block) {
        // Payload bytes: "the block bytes carried by BitTorrent piece messages".
        this.payloadBytes += block.length;
        this.bytes[this.lane] += block.length;
        if (this.segment) this.segment.bytes += BigInt(block.length);
        const i = this.buyer.pieces.firstBlock[p] + begin / BLOCK;
        this.inflight.delete(i);
        const verdict = this.buyer.pieces.store(p, begin, block);
        if (verdict === 'duplicate') this.duplicateBytes += block.length;
        if (verdict === 'verified') {
            const have = Buffer.alloc(4);
            have.writeUInt32BE(p, 0);
            for (const c of this.buyer.connections) if (!c.closed && c.handshaken) c.send(4, have);
        }
        this.buyer.onPayload(this);
        this.fill();
        if (verdict === 'verified' && this.buyer.pieces.complete) this.buyer.onComplete();
    }

    fill() {
        if (this.choked || this.closed) return;
        while (this.inflight.size < PIPELINE) {
            const i = this.buyer.pieces.pick(this.backward);
            if (i < 0) break;
            const b = this.buyer.pieces.blocks[i];
            this.buyer.pieces.state[i] = 1;
            this.inflight.add(i);
            const req = Buffer.alloc(12);
            req.writeUInt32BE(b.p, 0);
            req.writeUInt32BE(b.begin, 4);
            req.writeUInt32BE(b.len, 8);
            this.send(6, req);
        }
    }

    onExtended(extId, payload) {
        if (extId === 0) return this.onExtendedHandshake(payload);
        if (extId !== OUR_LN_LANES_ID) return;
        // "more than 64 lane messages within one second: disconnect", a fixed window.
        const t = Date.now();
        if (t - this.msgWindow.start >= 1000) this.msgWindow = { start: t, count: 0 };
        if (++this.msgWindow.count > 64) {
            this.buyer.violation(`${this.name}: more than 64 lane messages within one second`);
            return this.close('lane message rate');
        }
        if (payload.length > 8192) {
            this.buyer.violation(`${this.name}: lane payload of ${payload.length} bytes`);
            return this.close('lane payload over 8192 bytes');
        }
        let dict;
        try {
            dict = decode(payload);
        } catch (e) {
            if (e instanceof BencodeError) return this.malformed('payload', `not one canonical bencoded dictionary: ${e.message}`);
            throw e;
        }
        const m = parseFromSeeder(dict);
        if (m.ignored) return this.buyer.note(`${this.name}: ignored a lane message with t = ${dict.get('t')}`);
        if (m.malformed) return this.malformed(m.malformed, `${m.type ? TYPE_NAME[m.type] : 'message'} field ${m.malformed}`);
        this.buyer.received.push({ t: now(), conn: this.name, type: TYPE_NAME[m.type], ...m.fields });
        if ([TYPE.prove, TYPE.request, TYPE.iou, TYPE.settlement].includes(m.type)) {
            this.buyer.violation(`${this.name}: the seeder sent a downloader's message (${TYPE_NAME[m.type]})`);
            return this.sendLane({ t: BigInt(TYPE.reject), code: 'unexpected', msg: `${TYPE_NAME[m.type]} is a downloader's message` });
        }
        this.buyer.onLaneMessage(this, m.type, m.fields);
    }

    malformed(field, why) {
        this.buyer.violation(`${this.name}: malformed lane message from the seeder: ${why}`);
        this.sendLane({ t: BigInt(TYPE.reject), code: 'malformed', msg: `field ${field}` });
    }

    onExtendedHandshake(payload) {
        let hs;
        try {
            hs = decode(payload, { strict: false, limits: { maxDepth: 16, maxItems: 4096 } });
        } catch (e) {
            return this.buyer.violation(`${this.name}: extended handshake does not decode: ${e.message}`);
        }
        const id = hs.get('m')?.get?.('ln_lanes');
        if (typeof id !== 'bigint' || id <= 0n || id > 255n) return this.buyer.note(`${this.name}: the seeder does not speak ln_lanes`);
        const entry = hs.get('ln_lanes');
        const parsed = entry === undefined ? { error: 'no ln_lanes entry' } : parseLnLanes(entry, encode(entry).length);
        if (parsed.error) return this.buyer.violation(`${this.name}: invalid ln_lanes entry: ${parsed.error}`);
        this.lnId = Number(id);
        this.seederNonce = parsed.nonce;
        this.seederVersion = parsed.v;
        this.offer = parsed.offer;
        this.buyer.onOffer(this);
    }

    // ---- lane actions

    prove() {
        const b = this.buyer;
        const text = proofText({
            torrentId: hex(b.torrent.infoHash), asset: this.offer.asset, payee: this.offer.payee, payer: b.payer,
            seederNonce: this.seederNonce, payerNonce: this.nonce, seederPeerId: this.seederPeerId, payerPeerId: this.peerId,
        });
        this.proven = true;
        this.sendLane({ t: BigInt(TYPE.prove), payer: b.payer, sig: signText(text, b.key) });
    }

    request(lane, maxPrice) {
        this.requested = { lane, maxPrice: BigInt(maxPrice) };
        this.unanswered++;
        this.sendLane({ t: BigInt(TYPE.request), lane, max_price: BigInt(maxPrice) });
    }

    // A segment is "one connection at one price"; it ends at any grant that changes the price.
    startSegment(price) {
        this.endSegment();
        if (price > 0n) {
            this.segment = { price, bytes: 0n };
            this.buyer.segments.push(this.segment);
        }
    }

    endSegment() {
        this.segment = null;
    }
}

// ---------------------------------------------------------------- the buyer

class Buyer {
    constructor(opts) {
        this.opts = opts;
        this.mode = opts.mode;
        this.torrent = loadTorrent(opts.torrent);
        this.pieces = new Pieces(this.torrent);
        this.key = fs.readFileSync(opts['key-file'], 'utf8').trim();
        this.payer58 = TronWeb.address.fromPrivateKey(this.key);
        this.payer = wireAddress(this.payer58);
        this.chain = new Chain(opts.node, opts.proto);
        this.builder = new TxBuilder(opts.proto);
        this.connections = [];
        this.segments = [];          // every billed segment of this run: { price, bytes }
        this.iou = { amount: 0n, seq: 0n, sig: null, body: null };
        this.ious = [];              // what we sent: { amount, seq, final, body }
        this.iouRaises = 0;          // IOUs that raised the amount (each may widen the window)
        this.settlements = [];       // { from, to, tx, txid, status }
        this.settledFigure = 0n;     // where our confirmed settlements end
        this.stateSettled = 0n;      // the settled of a state we accepted
        this.signing = false;
        this.sent = [];
        this.received = [];
        this.violations = [];
        this.notes = [];
        this.finished = false;
        this.completedAt = null;
        this.finalSent = false;
        this.paidLane = opts.lane;
        this.maxPrice = BigInt(opts['max-price']);
        this.done = null;
        this.doneP = new Promise((r) => (this.done = r));
        this.hugeSent = false;
        this.staleSent = false;
        this.secondOpened = false;
    }

    violation(what) {
        log('VIOLATION', what);
        this.violations.push({ t: now(), what });
    }

    note(what) {
        log('note', what);
        this.notes.push({ t: now(), what });
    }

    get offer() {
        return this.connections.find((c) => c.offer)?.offer ?? null;
    }

    debt() {
        return this.segments.reduce((sum, s) => sum + cost(s.bytes, s.price), 0n);
    }

    connect(options) {
        const c = new Connection(this, options);
        this.connections.push(c);
        log(c.name, 'dialling', this.opts.seed);
        c.open();
        return c;
    }

    // ---- events from connections

    onOffer(c) {
        const o = c.offer;
        if (!o) return this.note(`${c.name}: the seeder sells no lanes`);
        log(c.name, `offer: payee ${base58(o.payee)} asset ${o.asset} prices ${o.lanes.medium.price}/${o.lanes.fast.price} window ${o.window} step ${o.step} settle ${o.settle} min_settle ${o.minSettle}`);
        if (this.mode === 'second-connection' && c.name.startsWith('second')) {
            // A second connection without a proof asking for the paid lane.
            return c.request(this.paidLane, this.maxPrice);
        }
        if (c.name === 'verify') return c.prove();
        if (o.lanes[this.paidLane].price > this.maxPrice) return this.note(`${this.paidLane} costs more than --max-price: staying slow`);
        c.prove();
        c.request(this.paidLane, this.maxPrice);
    }

    onPayload(c) {
        if (this.mode === 'huge-iou' && !this.hugeSent && c.segment && c.segment.bytes >= this.offer.step) {
            this.hugeSent = true;
            this.sendIou(c, 1n << 50n, false);
            return;
        }
        if (this.mode === 'second-connection' && !this.secondOpened && c.name === 'first' && c.segment && c.segment.bytes >= 4n * MIB) {
            this.secondOpened = true;
            this.connect({ name: 'second', backward: true, prove: false });
        }
        this.maybeIou(c);
    }

    paysIous() {
        return !['no-iou', 'huge-iou'].includes(this.mode);
    }

    // "when the debt has grown by at least the cost of one offer step since its latest IOU".
    maybeIou(c) {
        if (!this.paysIous() || !c.offer || !c.segment) return;
        const debt = this.debt();
        if (debt > this.iou.amount && debt - this.iou.amount >= cost(c.offer.step, c.segment.price)) {
            this.sendIou(c, debt, false);
            if (this.mode === 'stale-iou' && !this.staleSent && this.ious.length >= 4) {
                // Re-send the first IOU, byte for byte.
                this.staleSent = true;
                log(c.name, 'hostile: re-sending IOU seq', this.ious[0].seq);
                c.sendLaneRaw(this.ious[0].body);
            }
        }
    }

    sendIou(c, amount, final) {
        const seq = this.iou.seq + 1n;
        const o = c.offer;
        const sig = signText(iouText({ payer: this.payer, payee: o.payee, asset: o.asset, amount, seq }), this.key);
        const body = laneMessage({ t: BigInt(TYPE.iou), payer: this.payer, payee: o.payee, asset: o.asset, amount, seq, final: final ? 1n : 0n, sig });
        if (amount > this.iou.amount) this.iouRaises++;
        // Rule 5: an IOU that repeats the latest amount is a no-op for the seeder, whose latest
        // seq stays at the IOU that last raised the amount.
        if (amount > this.iou.amount) this.recordedSeq = seq;
        this.iou = { amount, seq, sig, body };
        this.ious.push({ t: now(), amount, seq, final, body });
        // "MUST send all of the channel's IOUs on one of those connections at a time": the
        // oldest proven connection still open.
        const carrier = this.connections.find((x) => !x.closed && x.offer && x.proven) ?? c;
        carrier.sendLaneRaw(body);
    }

    onComplete() {
        if (this.completedAt !== null) return;
        if (this.snapshots?.length === 1) this.snapshot('complete');
        this.completedAt = now();
        log('download complete,', this.pieces.t.count, 'pieces verified');
        // "with final = 1 when its download of the torrent completes, if anything is owed".
        const c = this.connections.find((x) => !x.closed && x.offer && x.proven);
        if (c && this.paysIous() && this.debt() > 0n) {
            this.finalSent = true;
            this.sendIou(c, this.debt() > this.iou.amount ? this.debt() : this.iou.amount, true);
        }
    }

    onConnectionClosed(c) {
        if (c.name.startsWith('second') && this.snapshots?.length === 1) this.snapshot(`${c.name} closed`);
        if (c.name === 'second' && !c.offer && this.opts.bind2) {
            // The seeder refused a second connection from the payer's IP before its extended
            // handshake: try the same thing from another address.
            this.note(`second connection from ${this.opts.bind} closed by the seeder before its extended handshake (BitTorrent handshake ${c.handshaken ? 'received' : 'not received'}); trying from ${this.opts.bind2}`);
            this.connect({ name: 'second-other-ip', backward: true, prove: false, bind: this.opts.bind2 });
            return;
        }
        if (c.reconnectAsked && !c.replaced) {
            c.replaced = true;
            const next = this.connect({ name: `${c.name}+`, backward: c.backward, prove: c.wantsProof });
            next.reconnectOf = c.name;
        }
    }

    onLaneMessage(c, type, m) {
        switch (type) {
            case TYPE.grant:
                return this.onGrant(c, m);
            case TYPE.settle_req:
                return this.onSettleReq(c, m);
            case TYPE.receipt:
                return this.onReceipt(c, m);
            case TYPE.reject:
                log(c.name, 'REJECT', m.code, m.msg);
                if (!REJECT_CODES.includes(m.code)) this.note(`${c.name}: reject code not in the spec: ${m.code}`);
                if (m.code === 'bad_proof' || m.code === 'no_proof') c.proven = false;
                return;
            case TYPE.state:
                return this.onState(c, m);
            default:
                return;
        }
    }

    // Payload bytes of every connection now, to compare the rates of two connections that overlap.
    snapshot(label) {
        this.snapshots = this.snapshots ?? [];
        this.snapshots.push({ label, t: now(), bytes: Object.fromEntries(this.connections.map((c) => [c.name, c.payloadBytes])) });
    }

    onGrant(c, g) {
        if (c.name.startsWith('second') && !this.snapshots) this.snapshot('second granted');
        const wasAnswer = c.unanswered > 0;
        if (c.unanswered > 0) c.unanswered--;
        log(c.name, `grant ${g.lane} price ${g.price} window ${g.window} reconnect ${g.reconnect} reason "${g.reason}"`);
        if (!GRANT_REASONS.includes(g.reason)) this.note(`${c.name}: grant reason not in the spec: "${g.reason}"`);
        if ((g.lane === 'slow' || g.reconnect === 1n) && g.window !== 0n) {
            this.violation(`${c.name}: ${g.lane} grant${g.reconnect ? ' (reconnect)' : ''} with window ${g.window}; the spec says 0`);
        }
        if (g.reconnect === 1n && (g.price !== 0n || g.reason !== 'requested')) {
            this.violation(`${c.name}: reconnect grant with price ${g.price} reason "${g.reason}"; the spec says price 0, reason requested`);
        }
        if (g.lane !== 'slow' && g.reason !== 'requested') this.violation(`${c.name}: paid grant with reason "${g.reason}"`);
        // A fresh payer's first paid grant has window = min(floor(W * 2^30 / P), window) where
        // W = floor(window * P / 2^30) ("Credit and exposure", "The window").
        if (g.lane !== 'slow' && g.reconnect === 0n && c.offer && this.debt() === 0n && this.iou.amount === 0n && !this.firstWindowChecked) {
            this.firstWindowChecked = true;
            const P = g.price === 0n ? 1n : g.price;
            const W = cost(c.offer.window, P);
            const expected = W <= 0n ? 0n : (W * GIB) / P < c.offer.window ? (W * GIB) / P : c.offer.window;
            if (g.window !== expected) this.violation(`${c.name}: first paid grant window ${g.window}, the spec's formula gives ${expected}`);
        }
        this.grants = this.grants ?? [];
        this.grants.push({ t: now(), conn: c.name, lane: g.lane, price: g.price, window: g.window, reconnect: g.reconnect, reason: g.reason, answer: wasAnswer });

        const previousPrice = c.price;
        const promisedBefore = this.iou.amount;
        // "it bills no payload at any other grant": only the lane of the latest request, at a
        // price within its cap.
        const wanted = c.requested && g.lane === c.requested.lane && g.price <= c.requested.maxPrice;
        const billedPrice = g.reconnect === 0n && g.lane !== 'slow' && wanted ? g.price : 0n;
        if (g.lane !== 'slow' && !wanted && g.price > 0n) {
            this.violation(`${c.name}: granted ${g.lane} at ${g.price}, not what was requested (${c.requested?.lane ?? 'nothing'})`);
            // LaneTorrent's buyer rule: ask again, leave if not fixed within 3 s.
            if (c.requested) c.request(c.requested.lane, c.requested.maxPrice);
            clearTimeout(c.leaveTimer);
            c.leaveTimer = setTimeout(() => {
                if (c.lane !== 'slow' && c.price > 0n && !(c.requested && c.lane === c.requested.lane)) c.close('billed a lane not asked for');
            }, 3000);
        }
        if (billedPrice !== previousPrice) {
            // "when a grant ends a paid segment ..., at once, if anything is owed".
            if (previousPrice > 0n && this.paysIous() && this.debt() > this.iou.amount) this.sendIou(c, this.debt(), false);
            c.startSegment(billedPrice);
        }
        if (previousPrice > 0n && billedPrice === 0n && g.lane === 'slow' && this.holdAt === undefined) {
            // The buyer's view of the seeder's figures when it was first held back.
            this.holdAt = { t: now(), reason: g.reason, accrued: this.debt(), promised: promisedBefore, confirmed: this.settledFigure };
        }
        c.lane = g.lane;
        c.price = billedPrice;
        if (g.reconnect === 1n) {
            // "the downloader closes it itself and dials again at once, proves again and requests again".
            c.reconnectAsked = true;
            c.close('reconnect grant');
        }
    }

    onState(c, s) {
        this.states = this.states ?? [];
        this.states.push({ t: now(), conn: c.name, amount: s.amount, seq: s.seq, settled: s.settled });
        log(c.name, `state amount ${s.amount} seq ${s.seq} settled ${s.settled}`);
        // "65 zero bytes when seq is 0" (a receiver does not look at it; the sender's rule).
        if (s.seq === 0n && !s.sig.equals(Buffer.alloc(65))) this.violation(`${c.name}: state with seq 0 and a non-zero sig`);
        if (!c.offer) return;
        // Channel recovery.
        if (s.seq > this.iou.seq && s.amount >= this.iou.amount) {
            const text = iouText({ payer: this.payer, payee: c.offer.payee, asset: c.offer.asset, amount: s.amount, seq: s.seq });
            if (recoverText(text, s.sig) === this.payer58) {
                this.note(`${c.name}: adopted the seeder's IOU seq ${s.seq} amount ${s.amount}`);
                this.iou = { amount: s.amount, seq: s.seq, sig: s.sig, body: null };
                this.recordedSeq = s.seq;
            } else {
                this.violation(`${c.name}: state with seq ${s.seq} whose signature is not ours`);
                return;
            }
        }
        if (s.amount <= this.iou.amount && s.settled > this.stateSettled) this.stateSettled = s.settled;
    }

    ends() {
        let e = this.settledFigure > this.stateSettled ? this.settledFigure : this.stateSettled;
        for (const s of this.settlements) if (['signed', 'pending', 'confirmed', 'solidified'].includes(s.status) && s.to > e) e = s.to;
        return e < this.iou.amount ? e : this.iou.amount;
    }

    onSettleReq(c, r) {
        this.settleReqs = (this.settleReqs ?? 0) + 1;
        log(c.name, `settle_req from ${r.from} to ${r.to}`);
        if (this.mode === 'no-settle') return;  // hostile: never answers
        if (c.name === 'verify') return log(c.name, 'settle_req on the verifying connection: not answered');
        const rejectReq = (why) => {
            log(c.name, 'bad_settle_req:', why);
            this.badSettleReqs = (this.badSettleReqs ?? 0) + 1;
            c.sendLane({ t: BigInt(TYPE.reject), code: 'bad_settle_req', msg: why });
        };
        if (!c.proven || this.iou.seq === 0n) return rejectReq('no channel with you on this connection');
        if (this.signing) return log(c.name, 'already signing: settle_req ignored');
        if (this.mode === 'one-unit-settlements') {
            const same = this.settlements.find((s) => s.from === r.from && s.status !== 'failed');
            if (same) return this.resend(c, same);
            return this.settle(c, r.from, r.from + 1n);
        }
        // "What the downloader does with a settle_req", rules 1 to 5.
        if (r.to > this.iou.amount) return rejectReq(`to ${r.to} is beyond my latest IOU ${this.iou.amount}`);
        const live = this.settlements.find((s) => s.from === r.from && ['signed', 'pending', 'confirmed', 'solidified'].includes(s.status));
        if (live) return this.resend(c, live);
        const ends = this.ends();
        if (r.from < ends) {
            const any = this.settlements.find((s) => s.from === r.from && s.status !== 'failed');
            if (any) return this.resend(c, any);
        }
        if (r.from !== ends) return rejectReq(`from ${r.from} is not where my settlements end (${ends})`);
        return this.settle(c, r.from, r.to);
    }

    resend(c, s) {
        log(c.name, `re-sending settlement ${s.from}..${s.to}`);
        c.sendLane({ t: BigInt(TYPE.settlement), from: s.from, to: s.to, tx: s.tx });
    }

    async settle(c, from, to) {
        this.signing = true;
        try {
            const block = await this.chain.nowBlock();
            const built = this.builder.build({
                asset: c.offer.asset, payer: this.payer, payee: c.offer.payee, amount: to - from, block, now: Date.now(), key: this.key,
            });
            const s = { t: now(), from, to, tx: built.tx, txid: built.txid, status: 'signed' };
            this.settlements.push(s);  // recorded before it is sent
            log(c.name, `settlement ${from}..${to} txid ${hex(built.txid)}`);
            const target = c.closed ? this.connections.find((x) => !x.closed && x.proven) : c;
            if (target) target.sendLane({ t: BigInt(TYPE.settlement), from, to, tx: built.tx });
        } catch (e) {
            this.note(`no head block from the node: ${e.message}`);
        } finally {
            this.signing = false;
        }
    }

    onReceipt(c, r) {
        const s = this.settlements.find((x) => x.txid.equals(r.txid));
        log(c.name, `receipt ${r.status} to ${r.to} txid ${hex(r.txid)}`);
        if (!s) return this.violation(`${c.name}: receipt for a txid we never sent`);
        if (s.to !== r.to) this.violation(`${c.name}: receipt to ${r.to} for a settlement to ${s.to}`);
        s.receipts = [...(s.receipts ?? []), r.status];
        if (r.status === 'pending' && s.status === 'signed') s.status = 'pending';
        if (r.status === 'confirmed' || r.status === 'solidified') {
            s.status = r.status;
            if (s.to > this.settledFigure) this.settledFigure = s.to;
        }
        if (r.status === 'failed') s.status = 'failed';
    }

    // ---- the run

    async run() {
        const seconds = Number(this.opts.seconds);
        this.payerBefore = await this.chain.assetBalance(this.payer, this.opts.asset);
        this.first = this.connect({ name: 'first' });

        const deadline = started + seconds * 1000;
        while (Date.now() < deadline) {
            await sleep(250);
            // "LaneTorrent checks ... once a second": our check runs on every piece and here.
            for (const c of this.connections) if (!c.closed) this.maybeIou(c);
            const open = this.connections.filter((c) => !c.closed);
            if (this.completedAt === null) {
                if (open.length === 0 && !this.connections.some((c) => c.reconnectAsked && !c.replaced)) {
                    // The seeder closed every connection before the download completed: dial again.
                    if (!this.redialled || this.redialled < 3) {
                        this.redialled = (this.redialled ?? 0) + 1;
                        this.note('every connection closed before completion: dialling again');
                        this.connect({ name: `redial${this.redialled}` });
                    }
                }
                continue;
            }
            // An unproven connection carries no channel: nothing more to wait for on it.
            for (const c of open) if (!c.proven) c.close('complete; connection without a channel');
            if (open.every((c) => c.closed)) break;
            if (this.mode !== 'honest') {
                // A hostile run has shown what it can once the download is complete.
                if (now() - this.completedAt >= Number(this.opts.linger)) break;
                continue;
            }
            const openSettlement = this.settlements.some((s) => s.status === 'signed' || s.status === 'pending') || this.signing;
            // Both ends are seeds: the seeder closes once lane messages are quiet for 5 s (at the
            // latest 20 s, or 90 s with an open settlement). Leave 30 s after our last lane event
            // otherwise.
            const last = Math.max(...this.received.map((m) => m.t), ...this.sent.map((m) => m.t), this.completedAt);
            if (!openSettlement && now() - last > 30) {
                for (const c of open) c.close('quiet for 30 s after completion');
                break;
            }
        }
        const timedOut = Date.now() >= deadline;
        for (const c of this.connections) if (!c.closed) c.close(timedOut ? 'run time over' : 'done');

        // Settlements still pending: give the chain up to 20 s.
        const chainWait = Date.now() + 20000;
        const onChain = new Map();
        for (const s of this.settlements) {
            for (;;) {
                let status = 'unknown';
                try {
                    status = await this.chain.txStatus(s.txid);
                } catch (e) {
                    status = `error: ${e.code ?? e.message}`;
                }
                onChain.set(hex(s.txid), status);
                if (status === 'in_block' || status === 'failed' || Date.now() > chainWait) break;
                await sleep(300);
            }
        }
        this.onChain = onChain;
        this.payerAfter = await this.chain.assetBalance(this.payer, this.opts.asset);
        const o = this.offer;
        if (o) this.payeeAfter = await this.chain.assetBalance(o.payee, this.opts.asset);

        // A last connection to read the seeder's `state` of the channel: what it holds as the
        // latest IOU and as settled.
        if (o && this.iou.seq > 0n) {
            this.statesBeforeVerify = (this.states ?? []).length;
            const v = this.connect({ name: 'verify' });
            const until = Date.now() + 10000;
            while (Date.now() < until && (this.states ?? []).length === this.statesBeforeVerify && !v.closed) await sleep(100);
            v.close('verified');
            this.verifyState = (this.states ?? [])[this.statesBeforeVerify] ?? null;
        }
        return this.report(timedOut);
    }

    report(timedOut) {
        const o = this.offer;
        const price = o ? o.lanes[this.paidLane].price : 0n;
        const bytes = { slow: 0, medium: 0, fast: 0 };
        for (const c of this.connections) for (const l of Object.keys(bytes)) bytes[l] += c.bytes[l];
        const paidBytes = this.segments.reduce((s, x) => s + x.bytes, 0n);
        const paidCost = this.debt();
        let settledOnChain = 0n;
        for (const s of this.settlements) if (this.onChain.get(hex(s.txid)) === 'in_block') settledOnChain += s.to - s.from;
        const spent = this.payerBefore - this.payerAfter;
        const rejects = this.received.filter((m) => m.type === 'reject').map(({ t, conn, code, msg }) => ({ t, conn, code, msg }));
        // Exposure bound: W (the window at the lane's price) + T, plus one IOU step. W uses the
        // largest window the seeder can have reached: its initial window plus one step per IOU we
        // sent that raised the amount, at most LaneTorrent's 128 MiB.
        let windowBytes = 0n;
        let bound = 0n;
        if (o) {
            windowBytes = o.window + BigInt(this.iouRaises) * o.step;
            if (windowBytes > LANETORRENT_MAX_WINDOW) windowBytes = LANETORRENT_MAX_WINDOW;
            const P = price === 0n ? 1n : price;
            bound = cost(windowBytes, P) + o.settle + cost(o.step, P);
        }
        const exposure = paidCost - settledOnChain;
        const figures = {
            mode: this.mode,
            payer: this.payer58,
            seconds: Number(now().toFixed(2)),
            timed_out: timedOut,
            completed: this.completedAt !== null,
            completed_at: this.completedAt,
            pieces_verified: this.pieces.haveCount,
            pieces: this.torrent.count,
            hash_failures: this.pieces.hashFailures,
            offer: o && {
                payee: base58(o.payee), asset: o.asset, price_medium: o.lanes.medium.price, price_fast: o.lanes.fast.price,
                window: o.window, step: o.step, settle: o.settle, min_settle: o.minSettle, min_settle_sent: o.hasMinSettle,
                version: this.connections.find((c) => c.offer)?.seederVersion,
            },
            lane: this.paidLane,
            price,
            bytes_per_lane: bytes,
            paid_bytes: paidBytes,
            paid_cost_units: paidCost,
            iou_units: this.iou.amount,
            iou_seq: this.iou.seq,
            ious_sent: this.ious.length,
            final_iou_sent: this.finalSent,
            settle_reqs: this.settleReqs ?? 0,
            bad_settle_reqs_sent: this.badSettleReqs ?? 0,
            settlements: this.settlements.map((s) => ({
                from: s.from, to: s.to, txid: hex(s.txid), receipt_status: s.status, receipts: s.receipts ?? [], chain: this.onChain.get(hex(s.txid)),
            })),
            settled_on_chain_units: settledOnChain,
            payer_spent_units: spent,
            payee_balance_units: this.payeeAfter ?? null,
            carried_units: this.iou.amount - settledOnChain,
            window_bytes_bound: windowBytes,
            exposure_units: exposure,
            bound_units: bound,
            bound_held: exposure <= bound,
            first_hold: this.holdAt ?? null,
            grants: this.grants ?? [],
            states: this.states ?? [],
            verify_state: this.verifyState ?? null,
            rejects_received: rejects,
            connections: this.connections.map((c) => ({
                name: c.name, bind: c.bind, handshaken: c.handshaken, offer_seen: c.offer !== null, opened_at: c.openedAt, closed_at: c.closedAt, closed_by: c.closedBy, bytes: c.bytes, proven: c.proven,
                chokes: c.chokes, duplicate_bytes: c.duplicateBytes,
                mib_per_s: c.closedAt && c.closedAt > c.openedAt ? Number((c.payloadBytes / 1048576 / (c.closedAt - c.openedAt)).toFixed(3)) : null,
            })),
            violations: this.violations,
            notes: this.notes,
        };
        if (this.snapshots?.length === 2) {
            const [a, b] = this.snapshots;
            const dt = b.t - a.t;
            figures.overlap = {
                from: a.label, to: b.label, seconds: Number(dt.toFixed(3)),
                mib_per_s: Object.fromEntries(Object.keys(a.bytes).map((k) => [k, dt > 0 ? Number(((b.bytes[k] - a.bytes[k]) / 1048576 / dt).toFixed(3)) : null])),
            };
        }
        // The honest buyer's own rules.
        if (this.mode === 'honest') {
            const fail = (what) => this.violations.push({ t: now(), what });
            if (!figures.completed) fail('the download did not complete');
            if (rejects.length) fail(`${rejects.length} reject(s) received`);
            if (settledOnChain !== spent) fail(`settled on chain ${settledOnChain} != the payer's balance decrease ${spent}`);
            for (const s of figures.settlements) if (s.chain !== 'in_block') fail(`settlement ${s.from}..${s.to} is ${s.chain} on chain`);
            if (this.iou.amount !== paidCost) fail(`IOU'd ${this.iou.amount} != the cost of the paid bytes ${paidCost}`);
            const carried = this.iou.amount - settledOnChain;
            if (carried < 0n || (carried > 0n && carried >= o.minSettle)) fail(`carried ${carried} is not below min_settle ${o.minSettle}`);
            if (this.verifyState) {
                if (this.verifyState.amount !== this.iou.amount) fail(`state amount ${this.verifyState.amount} != our latest IOU ${this.iou.amount}`);
                // Our latest IOU that raised the amount (a final one repeating it is a no-op).
                const recorded = this.recordedSeq ?? 0n;
                if (this.verifyState.seq !== recorded) fail(`state seq ${this.verifyState.seq} != the seq of our latest IOU that raised the amount, ${recorded}`);
                if (this.verifyState.settled !== settledOnChain) fail(`state settled ${this.verifyState.settled} != settled on chain ${settledOnChain}`);
            } else if (this.iou.seq > 0n) {
                fail('no state on the verifying connection');
            }
            for (const c of this.connections) if (c.unanswered > 0 && !c.reconnectAsked) fail(`${c.name}: ${c.unanswered} request(s) without a grant`);
        }
        figures.ok = this.violations.length === 0;
        return figures;
    }
}

// ---------------------------------------------------------------- main

async function main() {
    const [command, ...rest] = process.argv.slice(2);
    const { values } = parseArgs({
        args: rest,
        options: {
            out: { type: 'string', multiple: true }, proto: { type: 'string' }, mode: { type: 'string', default: 'honest' },
            seed: { type: 'string' }, torrent: { type: 'string' }, 'key-file': { type: 'string' }, node: { type: 'string' },
            bind: { type: 'string' }, bind2: { type: 'string' }, lane: { type: 'string', default: 'fast' }, 'max-price': { type: 'string', default: '1000000000000000' },
            seconds: { type: 'string', default: '120' }, linger: { type: 'string', default: '5' }, asset: { type: 'string', default: '1002000' },
        },
    });
    if (command === 'keygen') {
        // One key per --out; one {"address"} line each, in order.
        for (const out of values.out ?? []) {
            const account = utils.accounts.generateAccount();
            fs.writeFileSync(out, account.privateKey.replace(/^0x/, '') + '\n', { mode: 0o600 });
            console.log(JSON.stringify({ address: account.address.base58 }));
        }
        return 0;
    }
    if (command === 'selftest') {
        const failures = selftest(values.proto);
        console.log(json({ selftest: failures.length === 0 ? 'ok' : 'failed', failures }));
        return failures.length === 0 ? 0 : 1;
    }
    if (command !== 'run') {
        console.error('usage: spec_peer.mjs keygen|selftest|run ... (see the head of the file)');
        return 2;
    }
    for (const required of ['seed', 'torrent', 'key-file', 'node', 'proto']) {
        if (!values[required]) {
            console.error(`spec_peer: --${required} is required`);
            return 2;
        }
    }
    if (!MODES.includes(values.mode)) {
        console.error(`spec_peer: --mode must be one of ${MODES.join(', ')}`);
        return 2;
    }
    const buyer = new Buyer(values);
    const figures = await buyer.run();
    buyer.chain.close();
    console.log(json(figures));
    if (values.mode === 'honest') return figures.ok ? 0 : 1;
    return 0;
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(`spec_peer: ${e.stack ?? e.message}`);
        process.exit(2);
    },
);
