/* How the editor (/admin/) reads and writes the site's files: only what was edited changes.
 *
 * Decap CMS hands a format the whole data of a file and writes back whatever the format
 * returns. These two formats (`ssp-yaml` for data/*.yaml, `ssp-frontmatter` for newsletters)
 * keep the text the file had: an entry (a course, a review...) whose data did not change is
 * written back byte for byte, comments and layout included; in an entry that did change, only
 * the fields that changed are written anew, in the files' own style (README, "Editing through
 * forms"): plain words for ids and dates, text in double quotes, lists of words as [a, b], long
 * text folded with >-. Whatever is written is read back before it is returned: if it does not
 * give exactly the data, the whole file is written anew instead, so a save is never wrong.
 *
 * Works in the browser (window.SspFormat, with js-yaml loaded first) and in Node (the tests).
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('js-yaml'));
  else root.SspFormat = factory(root.jsyaml);
})(this, function (jsyaml) {
  'use strict';

  var WIDTH = 92; // the longest line written for folded text
  var YAML11_WORDS = /^(y|n|yes|no|on|off|true|false|null)$/;

  function parse(text) {
    // YAML 1.2's core schema: dates stay text ('2023-05-18'), as the date pickers want them.
    return jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
  }

  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }

  function equal(a, b) {
    if (a === b) return true;
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
        a.every(function (x, i) { return equal(x, b[i]); });
    }
    if (!isObject(a) || !isObject(b)) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every(function (k) { return k in b && equal(a[k], b[k]); });
  }

  // A field left empty in the form is no field: '' and [] (and {} once emptied) are dropped.
  // An invisible line break pasted into a field (NEL, U+2028, U+2029, from a PDF or a web page)
  // is saved as a space: YAML would count it as a new line, and `make validate` refuses it.
  function clean(v) {
    if (Array.isArray(v)) return v.map(clean);
    if (typeof v === 'string') return v.replace(/[\u0085\u2028\u2029]/g, ' ');
    if (!isObject(v)) return v;
    var out = {};
    Object.keys(v).forEach(function (k) {
      var x = clean(v[k]);
      if (x === undefined || x === '' || (Array.isArray(x) && !x.length) ||
          (isObject(x) && !Object.keys(x).length)) return;
      out[k] = x;
    });
    return out;
  }

  // --- writing a value in the files' style ----------------------------------------------

  function scalar(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    var s = String(v);
    if (/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s) && !YAML11_WORDS.test(s)) return s;
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
    return JSON.stringify(s); // a JSON string is a YAML double-quoted one
  }

  function order(keys, tree) {
    var known = (tree && tree._order) || [];
    return known.filter(function (k) { return keys.indexOf(k) >= 0; })
      .concat(keys.filter(function (k) { return known.indexOf(k) < 0; }));
  }

  // The lines of `key: value` at `pad` spaces (`tree`: the form's field order below it).
  function pairLines(key, value, pad, tree) {
    var sp = ' '.repeat(pad), head = sp + key + ':';
    if (Array.isArray(value)) {
      if (value.every(function (x) { return !isObject(x) && !Array.isArray(x); })) {
        var flow = head + ' [' + value.map(scalar).join(', ') + ']';
        if (flow.length <= WIDTH + 8) return [flow];
        return [head].concat(value.map(function (x) { return sp + '  - ' + scalar(x); }));
      }
      var lines = [head];
      value.forEach(function (x) { lines = lines.concat(itemLines(x, pad + 2, tree)); });
      return lines;
    }
    if (isObject(value)) return [head].concat(mapLines(value, pad + 2, tree));
    if (typeof value === 'string') {
      var one = head + ' ' + scalar(value);
      if (one.length > WIDTH + 8 && /^\S+( \S+)*$/.test(value)) {
        return [head + ' >-'].concat(fold(value, WIDTH - pad - 2).map(function (l) {
          return sp + '  ' + l;
        }));
      }
      if (value.indexOf('\n') >= 0 && /^[^\s][^\r\t]*[^\s]$/.test(value) && !/ \n|\n\n\n/.test(value)) {
        return [head + ' |-'].concat(value.split('\n').map(function (l) {
          return l ? sp + '  ' + l : '';
        }));
      }
      return [one];
    }
    return [value === null || value === undefined ? head : head + ' ' + scalar(value)];
  }

  function fold(text, width) {
    var lines = [], line = '';
    text.split(' ').forEach(function (word) {
      if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; }
      else line = line ? line + ' ' + word : word;
    });
    return lines.concat([line]);
  }

  function mapLines(obj, pad, tree) {
    var lines = [];
    order(Object.keys(obj), tree).forEach(function (k) {
      lines = lines.concat(pairLines(k, obj[k], pad, tree && tree[k]));
    });
    return lines;
  }

  // A list item (a group of fields) at `pad`: "- " then its fields.
  function itemLines(obj, pad, tree) {
    if (!isObject(obj)) return [' '.repeat(pad) + '- ' + scalar(obj)];
    var lines = mapLines(obj, pad + 2, tree);
    return lines.length ? [' '.repeat(pad) + '- ' + lines[0].slice(pad + 2)].concat(lines.slice(1))
      : [' '.repeat(pad) + '- {}'];
  }

  // --- cutting text into blocks: list items, or the fields of a group ----------------------

  function indentOf(line) { return line.length - line.replace(/^ +/, '').length; }
  function isGap(line) { return /^\s*(#.*)?$/.test(line); }

  // Split `lines` (the inside of a block list or group at column `col`) into parts, each
  // starting where `starts(line)` is true: [{lead: [blank and comment lines], body: [...]}].
  // Returns null when a line does not belong (the text is not laid out as expected).
  function blocks(lines, col, starts) {
    var parts = [], pending = [];
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (isGap(line)) { pending.push(line); continue; }
      if (indentOf(line) === col && starts(line)) { parts.push({ lead: pending, body: [line] }); }
      else if (parts.length && indentOf(line) > col) {
        parts[parts.length - 1].body = parts[parts.length - 1].body.concat(pending, [line]);
      } else if (parts.length && indentOf(line) === col && /^\s*- /.test(line)) {
        parts[parts.length - 1].body = parts[parts.length - 1].body.concat(pending, [line]);
      } else return null;
      pending = [];
    }
    return { parts: parts, tail: pending };
  }

  var KEY = /^\s*("[^"]*"|'[^']*'|[^\s#'"-][^:#]*?)\s*:(\s|$)/;

  function keyOf(line) {
    var m = KEY.exec(line);
    return m ? m[1].replace(/^["']|["']$/g, '') : null;
  }

  // The fields of a group written at column `col`, each with its text; or null.
  function fields(lines, col) {
    var found = blocks(lines, col, function (l) { return keyOf(l) !== null; });
    if (!found || found.tail.length) return null;
    return found.parts.map(function (p) { return { key: keyOf(p.body[0]), lead: p.lead, body: p.body }; });
  }

  // A group's new text: its fields' old text where their value did not change.
  function spliceMap(lines, col, old, now, tree) {
    var parts = fields(lines, col);
    if (!parts || !equal(parts.map(function (p) { return p.key; }), Object.keys(old))) return null;
    var keys = parts.map(function (p) { return p.key; }).filter(function (k) { return k in now; });
    order(Object.keys(now), tree).forEach(function (k, i, all) {
      if (keys.indexOf(k) >= 0) return;
      var before = all.slice(0, i).reverse().find(function (b) { return keys.indexOf(b) >= 0; });
      keys.splice(before === undefined ? 0 : keys.indexOf(before) + 1, 0, k);
    });
    var out = [];
    keys.forEach(function (k) {
      var part = parts.find(function (p) { return p.key === k; });
      if (part && equal(old[k], now[k])) out = out.concat(part.lead, part.body);
      else out = out.concat(part ? part.lead : [], pairLines(k, now[k], col, tree && tree[k]));
    });
    return out;
  }

  // --- data files: one top-level list -----------------------------------------------------

  function listKey(data) {
    var keys = isObject(data) ? Object.keys(data) : [];
    return keys.length === 1 ? keys[0] : null;
  }

  // The file's text cut up: head (to the list's key), its items, and what follows.
  function cutList(text, key) {
    var lines = text.split('\n');
    var at = lines.findIndex(function (l) {
      return new RegExp('^' + key + ':\\s*(\\[\\s*\\])?\\s*(#.*)?$').test(l);
    });
    if (at < 0) return null;
    var rest = lines.slice(at + 1);
    var first = rest.find(function (l) { return !isGap(l); });
    var col = first === undefined ? 2 : indentOf(first);
    var found = blocks(rest, col, function (l) { return l.slice(col, col + 2) === '- '; });
    if (!found || (first !== undefined && !found.parts.length)) return null;
    return { head: lines.slice(0, at + 1), items: found.parts, tail: found.tail, col: col };
  }

  function itemValue(part) {
    var value = parse(part.body.join('\n'));
    return Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  }

  function identity(item) {
    if (!isObject(item)) return undefined;
    return ['id', 'slug'].map(function (k) { return item[k]; }).find(function (v) {
      return typeof v === 'string' && v;
    });
  }

  // The new text of a data file whose old text is `text`, for the data `now`.
  function spliceList(text, now, tree) {
    var key = listKey(now), cut = key && cutList(text, key);
    if (!cut) return null;
    var col = cut.col, items = now[key] || [];
    var old = cut.items.map(function (p) { return { part: p, value: itemValue(p) }; });
    var byId = {};
    old.forEach(function (o) { var id = identity(o.value); if (id) byId[id] = o; });
    var gap = old.length ? old[old.length - 1].part.lead.filter(function (l) { return !l.trim(); }) : [];
    var used = [], out = [], carried = [];
    items.forEach(function (item, i) {
      var was = byId[identity(item)] || (identity(item) === undefined ? old[i] : undefined);
      if (was && used.indexOf(was) < 0) {
        used.push(was);
        var body = equal(was.value, item) ? was.part.body : changedItem(was, item, col, tree);
        out = out.concat(carried, was.part.lead, body);
      } else {
        out = out.concat(carried, out.length || old.length ? gap : [], itemLines(item, col, tree));
      }
      carried = [];
    });
    old.filter(function (o) { return used.indexOf(o) < 0; }).forEach(function (o) {
      carried = carried.concat(o.part.lead.filter(function (l) { return l.trim(); }));
    });
    var head = cut.head.slice();
    head[head.length - 1] = head[head.length - 1].replace(/:\s*\[\s*\]/, ':');
    return head.concat(out, carried, cut.tail).join('\n');
  }

  function changedItem(was, item, col, tree) {
    if (isObject(was.value) && isObject(item)) {
      var body = was.part.body.slice();
      body[0] = ' '.repeat(col + 2) + body[0].slice(col + 2);
      var lines = spliceMap(body, col + 2, was.value, item, tree);
      if (lines && lines.length) {
        return [' '.repeat(col) + '- ' + lines[0].slice(col + 2)].concat(lines.slice(1));
      }
    }
    return itemLines(item, col, tree);
  }

  // The whole file anew: its comments before the list kept, the list in the files' style.
  function fresh(text, now, tree) {
    var key = listKey(now);
    var head = (text || '').split('\n');
    var at = key ? head.findIndex(function (l) { return l.indexOf(key + ':') === 0; }) : -1;
    var lines = at >= 0 ? head.slice(0, at) : [];
    Object.keys(now).forEach(function (k) {
      var v = now[k];
      if (Array.isArray(v) && v.some(isObject)) {
        lines.push(k + ':');
        v.forEach(function (x, i) { lines = lines.concat(i ? [''] : [], itemLines(x, 2, tree && tree[k])); });
      } else lines = lines.concat(pairLines(k, v, 0, tree && tree[k]));
    });
    return lines.join('\n') + '\n';
  }

  function checked(candidates, now) {
    for (var i = 0; i < candidates.length; i++) {
      var text = candidates[i]();
      if (typeof text !== 'string') continue;
      try { if (equal(parse(text), now)) return text; } catch (e) { /* try the next */ }
    }
    return jsyaml.dump(now, { schema: jsyaml.CORE_SCHEMA, lineWidth: -1 });
  }

  // `trees`: for each list's key, the form's field order ({_order: [...], field: {...}}).
  function yamlFormat(trees) {
    var seen = {}; // what each file (known by its list's key) held when it was last read
    return {
      fromFile: function (text) {
        var data = parse(text);
        var key = listKey(data);
        if (key) seen[key] = { text: text.replace(/\r\n/g, '\n'), crlf: /\r\n/.test(text) };
        return data;
      },
      toFile: function (data) {
        var now = clean(data), key = listKey(now), was = key && seen[key];
        var tree = key && trees[key];
        var text = checked([
          function () { return was && spliceList(was.text, now, tree); },
          function () { return fresh(was && was.text, now, { [key]: tree }); }], now);
        if (key) seen[key] = { text: text, crlf: was && was.crlf };
        return was && was.crlf ? text.replace(/\n/g, '\r\n') : text;
      },
    };
  }

  // --- newsletters: front matter and Markdown ----------------------------------------------

  var FRONT = /^---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(\r?\n|$)/;

  function frontMatterFormat(tree) {
    var seen = []; // the newsletters read, newest last: {text, data}
    function split(text) {
      var m = FRONT.exec(text);
      var fm = m ? m[1] || '' : '', body = m ? text.slice(m[0].length) : text;
      var data = m ? parse(fm) || {} : {};
      return { fm: fm, data: data, body: body.replace(/^\r?\n/, ''), rawBody: body };
    }
    return {
      fromFile: function (text) {
        var got = split(text);
        seen.push({ text: text, got: got });
        if (seen.length > 500) seen.shift();
        return Object.assign({}, got.data, { body: got.body });
      },
      toFile: function (data) {
        var now = clean(Object.assign({}, data)), body = typeof data.body === 'string' ? data.body : '';
        delete now.body;
        var best = null, score = 0;
        seen.forEach(function (s) { // the newsletter being saved: the one sharing most of its fields
          var same = Object.keys(now).filter(function (k) { return equal(s.got.data[k], now[k]); }).length +
            (s.got.body === body ? 2 : 0);
          if (same >= score && same > 0) { best = s; score = same; }
        });
        var head = best && spliceMap(best.got.fm.replace(/\r?\n$/, '').split('\n'), 0, best.got.data, now, tree);
        var fm = head ? head.join('\n') + '\n' : null;
        if (!fm || !equal(parse(fm) || {}, now)) fm = mapLines(now, 0, tree).join('\n') + '\n';
        var rest = best && best.got.body === body ? best.got.rawBody : '\n' + body.replace(/\s*$/, '\n');
        return '---\n' + fm + '---\n' + rest;
      },
    };
  }

  // The field order of every collection in the editor's configuration, for the formats.
  function trees(config) {
    function tree(fields) {
      var t = { _order: fields.map(function (f) { return f.name; }) };
      fields.forEach(function (f) { if (f.fields) t[f.name] = tree(f.fields); });
      return t;
    }
    var data = {}, front = { _order: [] };
    (config.collections || []).forEach(function (c) {
      (c.files || []).forEach(function (f) {
        (f.fields || []).forEach(function (top) { if (top.fields) data[top.name] = tree(top.fields); });
      });
      if (c.folder && c.fields) front = tree(c.fields);
    });
    return { data: data, front: front };
  }

  return { parse: parse, equal: equal, clean: clean, yamlFormat: yamlFormat,
           frontMatterFormat: frontMatterFormat, trees: trees, spliceList: spliceList };
});
