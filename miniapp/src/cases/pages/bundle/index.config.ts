export default definePageConfig({ navigationBarTitleText: '一件事办理进度' });
