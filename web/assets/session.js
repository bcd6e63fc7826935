// Who is logged in. The token lives in sessionStorage: it is gone when the
// tab closes, and never shared with another tab or a later visitor.
const KEY = 'leen.token';
let user = null;
let onExpired = () => {};

export const session = {
  token: () => sessionStorage.getItem(KEY),
  user: () => user,
  start(token, me) {
    sessionStorage.setItem(KEY, token);
    user = me;
  },
  setUser(me) {
    user = me;
  },
  end() {
    sessionStorage.removeItem(KEY);
    user = null;
  },
  // the API said 401 to a logged-in request: the token expired or was revoked
  expired() {
    this.end();
    onExpired();
  },
  onExpired(fn) {
    onExpired = fn;
  },
  role: () => (user ? user.role : null),
  // volunteers, coordinators and admins work at the counter
  atCounter: () => !!user && ['volunteer', 'coordinator', 'admin'].includes(user.role),
  coordinates: () => !!user && ['coordinator', 'admin'].includes(user.role),
  issuesReductions: () => !!user && ['social_worker', 'admin'].includes(user.role),
};
