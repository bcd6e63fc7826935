/* The counter page: leen-api serves the static files under web/ and the
 * page a label's QR code opens. Where web/ is: $LEEN_WEB_DIR, else the
 * source tree's web/ the binary was built from (LEEN_WEB_DIR_DEFAULT),
 * else /usr/share/leen/web (the Docker image). */
#ifndef LEEN_API_WEB_H
#define LEEN_API_WEB_H

struct api_req;

/* GET /: web/index.html. */
int api_web_index(struct api_req *r);
/* GET /assets/{file}: web/assets/<file>, a plain file name (no "/", not
 * starting with "."), with its content type, an ETag and "no-cache", so a
 * browser revalidates each file with a cheap 304 and never mixes old and
 * new modules. Anything else is 404. */
int api_web_asset(struct api_req *r);
/* GET /i/{code}: the page with the item's code, name, category, status and
 * library filled in on the server, readable without login and without
 * JavaScript; nothing about who borrowed it. 404 for an unknown code. */
int api_web_item(struct api_req *r);

#endif
