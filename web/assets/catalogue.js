// Libraries and categories change rarely: read once per page load.
import { api } from './api.js';

let libraries = null;
const categories = new Map();

export async function allLibraries() {
  if (!libraries) {
    const res = await api('GET', '/v1/libraries');
    libraries = Array.isArray(res) ? res : res.items || [];
  }
  return libraries;
}

export async function library(slug) {
  return (await allLibraries()).find((l) => l.slug === slug) || null;
}

// The libraries the user works in (all of the org's for an admin).
export async function myLibraries(user) {
  const all = await allLibraries();
  const mine = user && Array.isArray(user.libraries) && user.libraries.length ? user.libraries : null;
  return mine ? all.filter((l) => mine.includes(l.slug)) : all;
}

export async function categoriesOf(slug) {
  if (!categories.has(slug)) {
    const res = await api('GET', `/v1/libraries/${encodeURIComponent(slug)}/categories`);
    categories.set(slug, Array.isArray(res) ? res : res.items || []);
  }
  return categories.get(slug);
}

export async function category(slug, id) {
  return (await categoriesOf(slug)).find((c) => c.id === id) || null;
}

export function forget() {
  libraries = null;
  categories.clear();
}
