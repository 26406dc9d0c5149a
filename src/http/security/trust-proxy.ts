import express from 'express';

/**
 * Which peers' `X-Forwarded-For` and `X-Forwarded-Proto` Express believes (its `trust proxy`): none, the
 * nearest `n` hops, or the proxies' addresses and ranges (`loopback`, `10.0.0.0/8`...).
 */
export type TrustProxy = false | number | string[];

/** Loopback only: a reverse proxy on this machine; a relay elsewhere is not believed. */
export const DEFAULT_TRUST_PROXY: TrustProxy = ['loopback'];

/**
 * TRUST_PROXY: `none`, a hop count, or a comma-separated list of addresses, ranges and Express's names.
 * `true` (believe every peer) is refused: any client could then choose its own address.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const given = value?.trim();
  if (given === undefined || given === '') return DEFAULT_TRUST_PROXY;
  if (given === 'none' || given === 'false') return false;
  if (/^\d{1,2}$/.test(given)) return Number(given);
  if (given === 'true') {
    throw new Error(
      'TRUST_PROXY=true would believe any client’s X-Forwarded-For: give the number of proxies in front ' +
        '(1), or their addresses or ranges (10.0.0.0/8), or none',
    );
  }
  const list = given
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  try {
    express().set('trust proxy', list);
  } catch (err) {
    throw new Error(
      `TRUST_PROXY must be none, a number of hops, or addresses and ranges such as loopback,10.0.0.0/8: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return list;
}
