// Starts GraphiQL against this gateway's /graphql (a file, not an inline script: the page's CSP
// is default-src 'self').
(function () {
  // The README's one request: who is at risk, why, and what is planned.
  const atRisk = `{
  customersByLoyalty(filter: {tiers: [HIGH_RISK, POTENTIAL_CHURN]}, first: 50) {
    totalCount
    edges { node {
      id name valueTier
      loyalty { score tier riskFactors { code severity pointsLost message } }
      actionPlans(status: PLANNED) {
        problem { code } department dueDate
        expectedEffect { metric comparator target withinDays } } } }
  }
}`;
  // the cockpit keeps the signed-in token in sessionStorage (same origin)
  const token = sessionStorage.getItem('retain.token');
  const headers = JSON.stringify({ Authorization: 'Bearer ' + (token || '<paste a token>') });
  const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: atRisk,
      defaultHeaders: headers,
      defaultEditorToolsVisibility: true,
    }));
})();
