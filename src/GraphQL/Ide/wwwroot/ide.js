// The GraphiQL page of GET /graphql: the live schema, queried with the token typed in the Authorization field.
(function () {
  'use strict';
  var storageKey = 'tibillet.graphiql.authorization';
  var input = document.getElementById('tibillet-token');
  // Session storage: the token lives as long as the tab, never in a URL or a cookie.
  input.value = sessionStorage.getItem(storageKey) || '';
  input.addEventListener('input', function () { sessionStorage.setItem(storageKey, input.value); });

  function authorization() {
    var value = input.value.trim();
    if (!value) { return null; }
    return /^(Bearer|Device|Partner) /.test(value) ? value : 'Bearer ' + value;
  }

  var endpoint = location.origin + location.pathname;
  var http = GraphiQL.createFetcher({ url: endpoint });
  function fetcher(params, options) {
    var headers = Object.assign({}, options && options.headers);
    var credential = authorization();
    if (credential && !headers.Authorization) { headers.Authorization = credential; }
    return http(params, Object.assign({}, options, { headers: headers }));
  }

  // A link may carry a query to open (?query=…&variables=…); it is never run by itself.
  var search = new URLSearchParams(location.search);
  var props = {
    fetcher: fetcher,
    defaultQuery: '# Type a query, press the run button (Ctrl+Enter).\n{\n  instance { name serverTime }\n}\n',
    shouldPersistHeaders: false,
  };
  if (search.get('query')) { props.query = search.get('query'); }
  if (search.get('variables')) { props.variables = search.get('variables'); }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
