// Main package: home and sign-in only. Every other domain is a sub-package loaded on demand.
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/login/index'],
  subPackages: [
    {
      root: 'me',
      pages: ['pages/index/index', 'pages/privacy/index', 'pages/identity/index', 'pages/facts/index'],
    },
    {
      root: 'booking',
      pages: [
        'pages/index/index',
        'pages/success/index',
        'pages/list/index',
        'pages/detail/index',
        // 网点就近办: a window appointment at a post office.
        'pages/window/index',
      ],
    },
    // 单程寄递: an acceptance receipt's QR (`<base>/r/<办件编号>/<查询码>`) opens cases/pages/mail/index.
    {
      root: 'cases',
      pages: [
        'pages/index/index',
        'pages/detail/index',
        'pages/mail/index',
        'pages/evaluate/index',
        'pages/bundle/index',
      ],
    },
    // 企业服务: binding, clerks, 免申即享 confirmations, claims by post (邮寄申领).
    {
      root: 'enterprise',
      pages: ['pages/index/index', 'pages/members/index', 'pages/subsidy/index', 'pages/claim/index'],
    },
    { root: 'catalogue', pages: ['pages/search/index', 'pages/guide/index', 'pages/bundle/index'] },
    { root: 'outlets', pages: ['pages/index/index', 'pages/detail/index'] },
    // 替你跑: a bag label's QR opens bag/pages/index/index (ordinary-link QR rule on `<base>/b/`).
    { root: 'bag', pages: ['pages/index/index', 'pages/sent/index'] },
    // 统计报表 for supervisors: its own sub-package, so the chart library (F2) loads only here.
    { root: 'stats', pages: ['pages/index/index'] },
    {
      root: 'staff',
      pages: [
        'pages/index/index',
        'pages/visit/index',
        'pages/supervision/index',
        'pages/bags/index',
        'pages/bag-bind/index',
        'pages/bag-receive/index',
        'pages/day/index',
        'pages/handover/index',
        'pages/centre/index',
        'pages/tickets/index',
        'pages/ticket/index',
        'pages/result-mailings/index',
        'pages/workbench/index',
        'pages/settlement/index',
        // 免申即享: rounds and a round's progress, for supervisors.
        'pages/rounds/index',
        'pages/round/index',
        // 网点政务专窗: today's window, intake, review, receipt.
        'pages/window/index',
        'pages/window-serve/index',
        'pages/window-intake/index',
        'pages/window-receipt/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '政邮通',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
});
