// The lane protocol's texts, messages and limits, from docs/lane-protocol.md alone.
import { TronWeb, Trx } from 'tronweb';
import { encode } from './bencode.mjs';

export const GIB = 1n << 30n;
export const MIB = 1n << 20n;
export const AMOUNT_MAX = 1n << 62n;
export const PRICE_MAX = 10n ** 15n;
export const LANES = ['slow', 'medium', 'fast'];
export const GRANT_REASONS = [
    'requested',
    'price above your cap',
    'no proof',
    'bad proof',
    'bad iou',
    'stale iou',
    'window exceeded',
    'awaiting settlement',
    'settlement failed',
    'settlement not delivered',
    'seller storage fault',
];
export const REJECT_CODES = [
    'malformed',
    'bad_proof',
    'no_proof',
    'bad_iou',
    'stale_iou',
    'bad_settlement',
    'replayed_settlement',
    'bad_settle_req',
    'unexpected',
];
export const TYPE = { prove: 1, request: 2, grant: 3, iou: 4, settle_req: 5, settlement: 6, receipt: 7, reject: 8, state: 9 };
export const TYPE_NAME = Object.fromEntries(Object.entries(TYPE).map(([k, v]) => [v, k]));

// "the cost of b payload bytes at price P units per GiB is floor(b × P / 2^30), computed exactly".
export const cost = (bytes, price) => (BigInt(bytes) * BigInt(price)) / GIB;

export const hex = (buf) => Buffer.from(buf).toString('hex');
export const base58 = (wire) => TronWeb.address.fromHex(hex(wire));
export const wireAddress = (b58) => Buffer.from(TronWeb.address.toHex(b58), 'hex');

export function proofText({ torrentId, asset, payee, payer, seederNonce, payerNonce, seederPeerId, payerPeerId }) {
    return [
        'LaneTorrent lane proof v1',
        `torrent: ${torrentId}`,
        `asset: ${asset}`,
        `payee: ${base58(payee)}`,
        `payer: ${base58(payer)}`,
        `seeder-nonce: ${hex(seederNonce)}`,
        `payer-nonce: ${hex(payerNonce)}`,
        `seeder-peer-id: ${hex(seederPeerId)}`,
        `payer-peer-id: ${hex(payerPeerId)}`,
    ].join('\n');
}

export function iouText({ payer, payee, asset, amount, seq }) {
    return [
        'LaneTorrent IOU v1',
        `payer: ${base58(payer)}`,
        `payee: ${base58(payee)}`,
        `asset: ${asset}`,
        `amount: ${BigInt(amount).toString()}`,
        `seq: ${BigInt(seq).toString()}`,
    ].join('\n');
}

// TIP-191 (TronWeb signMessageV2): r || s || v with v = 27 or 28.
export const signText = (text, key) => Buffer.from(Trx.signMessageV2(text, key).replace(/^0x/, ''), 'hex');

// The Base58Check address that signed `text`; accepts v = 0/1 as the spec requires of receivers.
export function recoverText(text, sig) {
    const s = Buffer.from(sig);
    if (s.length !== 65) return null;
    if (s[64] < 27) s[64] += 27;
    try {
        return Trx.verifyMessageV2(text, '0x' + hex(s));
    } catch {
        return null;
    }
}

export const laneMessage = (fields) => encode(new Map(Object.entries(fields)));

// ---- Field checks. Each returns the name of the first field that breaks its rule, or null.

const isInt = (v) => typeof v === 'bigint';
const isBytes = (v) => Buffer.isBuffer(v);
const inRange = (v, lo, hi) => isInt(v) && v >= lo && v <= hi;
const isAddress = (v) => isBytes(v) && v.length === 21 && v[0] === 0x41;
const isAssetId = (v) => isBytes(v) && /^[1-9][0-9]{0,18}$/.test(v.toString('latin1'));
const isLane = (v) => isBytes(v) && LANES.includes(v.toString('latin1'));
const isAmount = (v) => inRange(v, 0n, AMOUNT_MAX);

// The offer of a seeder's extended handshake ("Extension header"). Returns { error } naming the
// first rule broken, or { offer } with plain JS values.
export function parseLnLanes(entry, encodedLength) {
    if (!(entry instanceof Map)) return { error: 'ln_lanes is not a dictionary' };
    if (encodedLength > 2048) return { error: `ln_lanes is ${encodedLength} bytes, over 2048` };
    const v = entry.get('v');
    if (!inRange(v, 1n, (1n << 31n) - 1n)) return { error: 'v' };
    const nonce = entry.get('nonce');
    if (!isBytes(nonce) || nonce.length !== 16) return { error: 'nonce' };
    const result = { v, nonce, offer: null };
    if (!entry.has('offer')) return result;
    const o = entry.get('offer');
    if (!(o instanceof Map)) return { error: 'offer' };
    if (!isAddress(o.get('payee'))) return { error: 'offer.payee' };
    if (!isAssetId(o.get('asset'))) return { error: 'offer.asset' };
    if (!inRange(o.get('precision'), 0n, 18n)) return { error: 'offer.precision' };
    const lanes = o.get('lanes');
    if (!(lanes instanceof Map)) return { error: 'offer.lanes' };
    const terms = {};
    let shares = 0n;
    for (const name of LANES) {
        const lane = lanes.get(name);
        if (!(lane instanceof Map)) return { error: `offer.lanes.${name}` };
        let price = lane.get('price');
        if (name === 'slow') {
            if (price === undefined) price = 0n;
            if (price !== 0n) return { error: 'offer.lanes.slow.price' };
        } else if (!inRange(price, 0n, PRICE_MAX)) {
            return { error: `offer.lanes.${name}.price` };
        }
        const share = lane.get('share');
        if (!inRange(share, 0n, 1000n)) return { error: `offer.lanes.${name}.share` };
        shares += share;
        terms[name] = { price, share };
    }
    if (shares > 1000n) return { error: 'offer.lanes shares add up to more than 1000' };
    const window = o.get('window');
    if (!inRange(window, 1n, GIB)) return { error: 'offer.window' };
    const step = o.get('step');
    if (!inRange(step, 1n, window)) return { error: 'offer.step' };
    const settle = o.get('settle');
    if (!inRange(settle, 0n, AMOUNT_MAX)) return { error: 'offer.settle' };
    let minSettle = settle;  // "Absent: equal to settle"
    if (o.has('min_settle')) {
        minSettle = o.get('min_settle');
        if (!inRange(minSettle, 0n, settle)) return { error: 'offer.min_settle' };
    }
    result.offer = {
        payee: o.get('payee'),
        asset: o.get('asset').toString('latin1'),
        precision: o.get('precision'),
        lanes: terms,
        window,
        step,
        settle,
        minSettle,
        hasMinSettle: o.has('min_settle'),
    };
    return result;
}

// A lane message a downloader receives. Returns { type, fields } or { ignored } (unknown t) or
// { malformed: field } — the first field, in the order of the spec's tables, that breaks a rule.
export function parseFromSeeder(dict) {
    if (!(dict instanceof Map)) return { malformed: 'payload' };
    const t = dict.get('t');
    if (!isInt(t)) return { malformed: 't' };
    if (t < 1n || t > 9n) return { ignored: true };
    const type = Number(t);
    const get = (k) => dict.get(k);
    const checks = {
        1: [['payer', isAddress], ['sig', (v) => isBytes(v) && v.length === 65]],
        2: [['lane', isLane], ['max_price', (v) => inRange(v, 0n, PRICE_MAX)]],
        3: [
            ['lane', isLane],
            ['price', (v) => inRange(v, 0n, PRICE_MAX) && !(get('lane')?.toString() === 'slow' && v !== 0n)],
            ['window', (v) => inRange(v, 0n, 1n << 40n)],
            ['reconnect', (v) => inRange(v, 0n, 1n)],
            ['reason', (v) => isBytes(v) && v.length <= 200],
        ],
        4: [
            ['payer', isAddress], ['payee', isAddress], ['asset', isAssetId], ['amount', isAmount],
            ['seq', (v) => inRange(v, 1n, AMOUNT_MAX)], ['final', (v) => inRange(v, 0n, 1n)],
            ['sig', (v) => isBytes(v) && v.length === 65],
        ],
        5: [['from', (v) => isAmount(v) && isInt(get('to')) && v < get('to')], ['to', isAmount]],
        6: [
            ['from', (v) => isAmount(v) && isInt(get('to')) && v < get('to')], ['to', isAmount],
            ['tx', (v) => isBytes(v) && v.length >= 1 && v.length <= 4096],
        ],
        7: [
            ['txid', (v) => isBytes(v) && v.length === 32],
            ['status', (v) => isBytes(v) && ['pending', 'confirmed', 'solidified', 'failed'].includes(v.toString())],
            ['to', isAmount],
        ],
        8: [['code', (v) => isBytes(v) && v.length >= 1 && v.length <= 64], ['msg', (v) => isBytes(v) && v.length <= 200]],
        9: [
            ['amount', isAmount],
            ['seq', (v) => inRange(v, 0n, AMOUNT_MAX) && !(v === 0n && isInt(get('amount')) && get('amount') > 0n)],
            ['sig', (v) => isBytes(v) && v.length === 65],
            ['settled', (v) => isAmount(v) && isInt(get('amount')) && v <= get('amount')],
        ],
    };
    for (const [field, ok] of checks[type]) {
        if (!dict.has(field) || !ok(get(field))) return { malformed: field, type };
    }
    const fields = {};
    for (const [field] of checks[type]) {
        const v = get(field);
        fields[field] = isBytes(v) && ['lane', 'reason', 'status', 'code', 'msg'].includes(field) ? v.toString('utf8') : v;
    }
    return { type, fields };
}
