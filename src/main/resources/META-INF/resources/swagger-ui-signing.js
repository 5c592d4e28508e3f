/*
 * Signs every "Try it out" request of Swagger UI like an API client does (README "A signed request"):
 * X-Awal-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, METHOD + PATH + ?QUERY + TIMESTAMP + BODY)),
 * PATH without /api/developer, BODY the exact bytes sent (JSON, urlencoded and multipart alike).
 *
 * Credentials are entered once in the Authorize dialog: X-Client-ID and X-Domain as they are, and
 * the client SECRET in the X-Awal-Signature-256 field. The secret stays in the page: it is replaced
 * by the signature before anything is sent (WebCrypto; needs https or localhost).
 *
 * Wired in by quarkus.swagger-ui.scripts and quarkus.swagger-ui.request-interceptor.
 */
window.ContactsSigning = (function () {
  'use strict';

  var PREFIX = '/api/developer';
  var SIGNATURE = 'X-Awal-Signature-256';
  var TIMESTAMP = 'X-Timestamp';
  var encoder = new TextEncoder();

  function header(headers, name) {
    var wanted = name.toLowerCase();
    for (var key in headers) {
      if (key.toLowerCase() === wanted) {
        return headers[key];
      }
    }
    return undefined;
  }

  function removeHeader(headers, name) {
    var wanted = name.toLowerCase();
    Object.keys(headers).forEach(function (key) {
      if (key.toLowerCase() === wanted) {
        delete headers[key];
      }
    });
  }

  function concat(chunks) {
    var length = chunks.reduce(function (sum, chunk) { return sum + chunk.byteLength; }, 0);
    var out = new Uint8Array(length);
    var offset = 0;
    chunks.forEach(function (chunk) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    });
    return out;
  }

  function quoted(value) {
    // What browsers do in multipart headers: no raw quotes or line breaks inside the quoted string.
    return String(value).replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  }

  /**
   * A FormData as the exact multipart bytes that will be sent. The browser would pick its own
   * boundary only while sending, too late to sign, so the body is built here with a known one.
   * Blob types are lower-cased by the browser, hence a lower-case boundary.
   */
  async function multipart(form) {
    var random = new Uint8Array(16);
    crypto.getRandomValues(random);
    var boundary = '----swagger-ui-' + Array.from(random, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    var chunks = [];
    for (var entry of form.entries()) {
      var name = entry[0];
      var value = entry[1];
      if (typeof value === 'string') {
        chunks.push(encoder.encode('--' + boundary + '\r\nContent-Disposition: form-data; name="' + quoted(name)
            + '"\r\n\r\n' + value + '\r\n'));
      } else {
        chunks.push(encoder.encode('--' + boundary + '\r\nContent-Disposition: form-data; name="' + quoted(name)
            + '"; filename="' + quoted(value.name || 'blob') + '"\r\nContent-Type: '
            + (value.type || 'application/octet-stream') + '\r\n\r\n'));
        chunks.push(new Uint8Array(await value.arrayBuffer()));
        chunks.push(encoder.encode('\r\n'));
      }
    }
    chunks.push(encoder.encode('--' + boundary + '--\r\n'));
    return { bytes: concat(chunks), contentType: 'multipart/form-data; boundary=' + boundary };
  }

  async function bodyBytes(request) {
    var body = request.body;
    if (body === undefined || body === null || body === '') {
      return new Uint8Array(0);
    }
    if (typeof FormData !== 'undefined' && body instanceof FormData) {
      var built = await multipart(body);
      // Sent as a typed Blob: Swagger UI drops a multipart Content-Type header before fetch so
      // that the browser can add its own boundary; the Blob's type carries ours instead.
      request.body = new Blob([built.bytes], { type: built.contentType });
      removeHeader(request.headers, 'Content-Type');
      return built.bytes;
    }
    if (typeof body === 'string') {
      return encoder.encode(body);
    }
    if (body instanceof Blob) {
      return new Uint8Array(await body.arrayBuffer());
    }
    var json = JSON.stringify(body);
    request.body = json;
    return encoder.encode(json);
  }

  async function hmacHex(secret, bytes) {
    var key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' },
        false, ['sign']);
    var mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes));
    return Array.from(mac, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  /** Swagger UI's requestInterceptor: may return a promise of the request. */
  async function sign(request) {
    var url = new URL(request.url, window.location.href);
    if (!url.pathname.startsWith(PREFIX + '/')) {
      return request; // the OpenAPI document itself, or anything else not under the signed API
    }
    request.headers = request.headers || {};
    var secret = header(request.headers, SIGNATURE);
    // Never let the secret itself go out as a header, whatever happens below.
    removeHeader(request.headers, SIGNATURE);
    removeHeader(request.headers, TIMESTAMP);
    if (!secret) {
      return request; // not authorized: the service answers 401 missing_headers, as it should
    }
    if (!window.crypto || !crypto.subtle) {
      throw new Error('Signing needs WebCrypto, which browsers only offer over https or on localhost');
    }
    var timestamp = String(Math.floor(Date.now() / 1000));
    var body = await bodyBytes(request);
    var prefix = encoder.encode(request.method.toUpperCase() + url.pathname.substring(PREFIX.length) + url.search
        + timestamp);
    request.headers[TIMESTAMP] = timestamp;
    request.headers[SIGNATURE] = 'sha256=' + await hmacHex(secret, concat([prefix, body]));
    return request;
  }

  return { sign: sign };
})();
