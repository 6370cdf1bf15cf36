// First sight's vocabulary: the concepts a deceptive definition is made of (a secret, the user, the
// model, telling, hiding, handing over, other tools, an old rule dropped, an authority invoked), each
// in the ten languages first sight reads (en es pt fr de it ru zh ja ko). A word stands for a concept,
// never for a sentence: first-sight-signals.ts combines concepts into what a definition asks for, so
// a paraphrase or a translation trips the same signal. Where secrets live on disk is read from
// secrets/secret-locations.ts (first-sight-concepts.ts).

/** The concepts, as bits: a word may carry several. */
export const CONCEPT = {
  /** The assistant, the AI, the model, the agent. */
  model: 1 << 0,
  /** You, your (the reader addressed). */
  you: 1 << 1,
  /** Must, always, never, required, make sure. */
  must: 1 << 2,
  /** The user, the human, the person. */
  user: 1 << 3,
  /** Tell, mention, reveal, inform, disclose, show, notify. */
  tell: 1 << 4,
  /** Not, don't, never, without. */
  not: 1 << 5,
  /** Hide, conceal, silently, quietly, secretly. */
  hide: 1 << 6,
  /** Ask, confirm, permission, consent, approval. */
  ask: 1 << 7,
  /** Read, open, load, collect, gather, look up. */
  read: 1 << 8,
  /** Pass, include, send, put, attach, paste, copy, forward, upload, append, insert. */
  hand: 1 << 9,
  /** A kind of secret: password, token, API key, credentials, private key, cookie. */
  secret: 1 << 10,
  /** A place secrets live, or the conversation itself: ~/.ssh, .env, kubeconfig, system prompt, chat history. */
  place: 1 << 11,
  /** All, every, any, whole, full, verbatim, the user's: how much, or whose. */
  all: 1 << 12,
  /** Tool, function, server, capability, connector. */
  tool: 1 << 13,
  /** Other, another, any other, whatever, every other. */
  other: 1 << 14,
  /** Bcc, cc, recipient, destination, payee, remote. */
  recipient: 1 << 15,
  /** Replace, change, redirect, instead, swap, route. */
  replace: 1 << 16,
  /** Ignore, disregard, forget, override, bypass. */
  ignore: 1 << 17,
  /** Previous, prior, earlier, above, original, before. */
  prior: 1 << 18,
  /** Instructions, rules, guidelines, constraints, system prompt, directives. */
  rules: 1 << 19,
  /** From now on, no longer, henceforth. */
  now: 1 << 20,
  /** Policy, compliance, mandated, administrator, the developer, security team. */
  authority: 1 << 21,
  /** Only, exclusively, prefer, instead of, avoid. */
  prefer: 1 << 22,
  /** Unsafe, deprecated, unreliable, fabricated, untrustworthy. */
  disparage: 1 << 23,
  /** Even if, regardless, pretend, convince, downplay, leave out, omit. */
  deceive: 1 << 24,
  /** Use, call, invoke, run, execute. */
  use: 1 << 25,
  /** Field, parameter, argument: a place in a call to put something. */
  field: 1 << 31,
  /** Permission, confirmation, consent, approval: the user's say. */
  consent: 1 << 29,
  /** Even if, regardless, no matter: against what is true or asked. */
  despite: 1 << 30,
  /** A verb of handing over in the passive ("must be added", "should be sent"): handing over only after must. */
  passive: 1 << 26,
  /** Email, message, mail, shell, terminal, browser, payment: a capability another tool has. */
  capability: 1 << 27,
  /** A negation that follows what it negates: German "nicht", Japanese "ないで", Korean "마세요". */
  notAfter: 1 << 28,
} as const;
const C = CONCEPT;

/**
 * The lexicon: per concept, per language, words separated by spaces; `*` at the end of a word stands
 * for every word it starts (a stem: "contraseñ*", "пароль*"), at the start for every word it ends (a
 * German compound's head: "*werkzeug"); words joined by `+` are a phrase, read as
 * words in a row ("api+key", "from+now+on"). Chinese, Japanese and Korean entries are found anywhere in
 * a run of their script (they are written without spaces).
 */
const LEXICON: Array<[number, Record<string, string>]> = [
  [
    C.model,
    {
      en: 'assistant* ai llm* model agent* chatbot* claude gpt* copilot',
      es: 'asistente* modelo ia agente*',
      pt: 'assistente* modelo ia agente*',
      fr: 'assistant* modèle ia agent*',
      de: 'assistent* modell ki agent*',
      it: 'assistente* modello ia agente*',
      ru: 'ассистент* помощник* модел* ии агент* бот*',
      zh: '助手 助理 模型 人工智能 智能体 代理 机器人',
      ja: 'アシスタント モデル エージェント ＡＩ ボット',
      ko: '어시스턴트 모델 에이전트 인공지능 비서 봇',
    },
  ],
  [
    C.you,
    {
      en: 'you your yours yourself',
      es: 'tú tu tus te ti usted',
      pt: 'você vocês teu tua seu sua',
      fr: 'tu te ton ta tes vous votre vos toi',
      de: 'dein deine deinen deiner dich dir',
      it: 'tu tuo tua tuoi ti',
      ru: 'ты тебе тебя твой твоя твои вы вам ваш ваши',
      zh: '你 您',
      ja: 'あなた',
      ko: '당신 너',
    },
  ],
  [
    C.must,
    {
      en: 'must should always never required+to have+to need+to make+sure ensure mandatory obligatory',
      es: 'debe* debes deberá siempre nunca obligatori* necesari* asegúrate',
      pt: 'deve devem sempre nunca obrigatório obrigatória necessário certifique',
      fr: 'doit doivent dois devez toujours jamais obligatoire nécessaire assurez+vous assure+toi',
      de: 'muss musst müssen immer niemals nie unbedingt erforderlich* zwingend* stets',
      it: 'deve devi devono sempre mai obbligatorio obbligatoria necessario assicurati',
      ru: 'должен* обязан* всегда никогда обязательно необходимо нужно',
      zh: '必须 务必 一定 总是 始终 永远 请务必',
      ja: '必ず 常に 必要があります 必須 しなければ ください',
      ko: '반드시 항상 필수 해야',
    },
  ],
  [
    C.user,
    {
      en: 'user users human humans person owner customer customers to+yourself as+your+own',
      es: 'usuario usuarios usuaria humano',
      pt: 'usuári* utilizador* humano pessoa cliente*',
      fr: 'utilisateur utilisateurs utilisatrice humain personne',
      de: 'benutzer* nutzer* anwender* mensch* kund*',
      it: 'utente utenti umano',
      ru: 'пользовател* человек* клиент*',
      zh: '用户 使用者 人类 客户',
      ja: 'ユーザー 利用者 人間 顧客',
      ko: '사용자 유저 사람 고객',
    },
  ],
  [
    C.tell,
    {
      en: 'tell telling told mention mentioning inform informing notify notifying reveal revealing disclose disclosing say show see notice let+know let+the+user+know let+users+know let+them+know need+to+know need+to+see bring+up bringing+up',
      es: 'digas diga dile decir menciones menciona mencionar informes informa informar reveles revela revelar muestres avises avisa notifiques notifica',
      pt: 'diga dizer mencione mencionar informe informar revele revelar mostre mostrar avise avisar notifique conte contar',
      fr: 'dis dites dire mentionne mentionnez mentionner informe informez informer révèle révélez révéler montre montrez montrer préviens prévenez',
      de: 'sag sage sagen erwähn* informier* verrat* zeig zeige zeigen benachrichtig* mitteil* erzähl*',
      it: 'dire dici dica menziona menzionare informa informare rivela rivelare mostra mostrare avvisa avvisare',
      ru: 'говори* скажи сказать сообща* упомина* упомян* рассказ* информир* показыва* покаж* уведом* раскрыва*',
      zh: '告诉 告知 提及 提到 透露 通知 显示给 知道',
      ja: '伝え 知らせ 言わ 教え 見せ 通知 言及',
      ko: '말하지 말하 알리 알려 언급 보여',
    },
  ],
  [
    C.not,
    {
      en: "not don't dont do+not never no without nor neither doesn't didn't shouldn't mustn't can't cannot won't avoid",
      es: 'no nunca sin jamás ni',
      pt: 'não nunca sem jamais nem',
      fr: 'ne pas jamais sans ni aucun',
      de: 'ohne kein keine keinen weder',
      it: 'non mai senza né',
      ru: 'не нельзя никогда без ни',
      zh: '不要 别 不得 不可 切勿 勿 不能 无需 不用 不必 不需要',
      ja: '禁止 不要',
      ko: '없이',
    },
  ],
  [
    C.hide,
    {
      en: 'hide hiding conceal concealing silently quietly secretly covertly discreetly to+yourself out+of+view hidden+from keep+it+from keep+this+from keep+them+from as+your+own',
      es: 'oculta* esconde* silenciosamente discretamente secretamente calladamente',
      pt: 'oculte ocultar esconda esconder silenciosamente discretamente secretamente',
      fr: 'cachez cacher dissimule dissimulez dissimuler silencieusement discrètement secrètement',
      de: 'versteck* verberg* verschweig* heimlich* still+und+leise stillschweigend unbemerkt',
      it: 'nascondi* occulta* silenziosamente segretamente di+nascosto',
      ru: 'скрыва* скрой скрыть утаи* тайно незаметно молча',
      zh: '隐藏 隐瞒 悄悄 偷偷 秘密地 暗中 瞒着',
      ja: '隠し 隠す こっそり 密かに 秘密裏 黙って',
      ko: '숨기 숨겨 몰래 조용히 비밀리',
    },
  ],
  [
    C.ask,
    {
      en: 'ask asking',
      es: 'preguntes preguntar pregunta pidas pedir',
      pt: 'pergunte perguntar peça pedir',
      fr: 'demande demandes demandez demander',
      de: 'frag frage fragen',
      it: 'chiedere chiedi chieda',
      ru: 'спрашивай спрашивать спроси спросить',
      zh: '询问 征求',
      ja: '尋ね 聞か',
      ko: '묻지 묻',
    },
  ],
  [
    C.consent,
    {
      en: 'confirm confirmation confirmations permission permissions consent approval approve approved preapproved authorized authorised',
      es: 'confirmación confirmar permiso consentimiento aprobación',
      pt: 'confirmação confirmar permissão consentimento aprovação',
      fr: 'confirmation confirmer permission autorisation consentement accord',
      de: 'bestätigung bestätigen erlaubnis zustimmung einverständnis genehmigung',
      it: 'conferma confermare permesso consenso approvazione',
      ru: 'подтверждени* подтверди* разрешени* согласи*',
      zh: '确认 许可 同意 批准',
      ja: '確認 許可 同意 承認',
      ko: '확인 허락 허가 동의 승인',
    },
  ],
  [
    C.read,
    {
      en: 'read reading cat open load collect gather retrieve fetch extract obtain grab look+up look+through dump access content+from contents+of',
      es: 'lee leer lea lees abre abrir carga* recopila* recoge* obtén obtener extrae* busca*',
      pt: 'leia ler lê abra abrir carregue* colete* recolh* obtenha obter extraia* busque*',
      fr: 'lis lisez lire ouvre ouvrez ouvrir chargez charger collecte collectez récupère récupérez récupérer obtiens obtenez extrais extrayez rassemble rassemblez',
      de: 'lies lest lesen öffne öffnen lade laden sammel* sammle hole holen extrahier* besorg* auslesen',
      it: 'leggi leggere apri aprire carica caricare raccogli raccogliere recupera recuperare ottieni estrai estrarre',
      ru: 'прочита* прочти читай* чита* открой* откры* загрузи* собери* собира* получи* извлеки* извлека* найди*',
      zh: '读取 读 打开 加载 收集 获取 提取 查看',
      ja: '読み取 読み込 読ん 開い 取得 収集 抽出',
      ko: '읽고 읽어 읽으 읽기 열어 가져 수집 추출',
    },
  ],
  [
    C.hand,
    {
      en: 'pass passing include send sending put putting attach attaching paste copy provide providing supply forward forwarding upload append appending add adding insert share hand+over hand+them+over submit embed place fill post posting transmit report leak exfiltrate mirror cc bcc quote email+it email+them',
      es: 'envía* enviar envie incluy* incluir incluya adjunta* pon poner coloca* copia* pega* añade* agrega* inserta* comparte* reenvía* sube* transmite*',
      pt: 'envie enviar envia enviem inclua incluir incluam anexe anexar coloque colocar copie copiar cole colar adicione adicionar acrescente acrescentar insira inserir compartilhe compartilhar encaminhe encaminhar transmita transmitir',
      fr: 'envoie envoyez envoyer inclus incluez inclure joignez joindre mets mettez mettre copie copiez copier colle collez coller ajoute ajoutez ajouter insère insérez insérer partage partagez partager transmets transmettez transmettre transfère transférez téléverse',
      de: 'sende senden sendet schicke schicken übergib übergeben übermittle übermitteln füge fügen kopiere kopieren einfügen anhängen hänge trage tragen teile teilen weiterleiten leite mitsenden mitzusenden hochladen gib zitieren zitiere',
      it: 'invia inviare includi includere allega allegare inserisci inserire copia copiare incolla incollare aggiungi aggiungere condividi inoltra inoltrare trasmetti',
      ru: 'передай* переда* отправ* вставь* встав* добав* приложи* прикрепи* скопируй* копиру* перешли* пересыла* включи* укажи* помести*',
      zh: '发送 传递 放入 填入 附上 附加 包含 提交 粘贴 复制 上传 转发 加入 放在 一起',
      ja: '送信 送っ 入れ 含め 貼り付 添付 コピー アップロード 転送 追加 渡し',
      ko: '넣으 넣어 넣고 포함 보내 붙여 첨부 복사 업로드 전달 추가',
    },
  ],
  [
    C.secret,
    {
      en: 'password* passphrase* passcode* secret secrets credential* token tokens api+key api+keys apikey* private+key* privatekey* ssh+key* keys cookie* seed+phrase* mnemonic* wallet* keychain* session+token* session+cookie* access+key* auth+token* bearer oauth+token* environment+variable* env+var* envvar* 2fa otp conversation chat+messages transcript card+details credit+card* card+number*',
      es: 'contraseña contraseñas clave claves secreto secretos credencial credenciales token tokens cookie cookies variables+de+entorno frase+semilla conversación historial',
      pt: 'senha senhas chave chaves segredo segredos credenciais token tokens cookie cookies variáveis+de+ambiente frase+semente conversa histórico',
      fr: 'mot+de+passe mots+de+passe secret secrets secrète identifiants jeton jetons clé clés clef cookie cookies variables+d+environnement historique',
      de: 'passwort* passwört* *passwort *passwörter kennwort* geheimnis* zugangsdaten anmeldedaten schlüssel* *schlüssel token* cookie* umgebungsvariable* api-schlüssel* verlauf gesprächs*',
      it: 'password chiave chiavi segreto segreti credenziali token cookie variabili+d+ambiente cronologia conversazione',
      ru: 'парол* секрет* ключ* токен* учётн* учетн* куки кукис* переменн*+окружени* истори* переписк*',
      zh: '密码 密钥 私钥 秘钥 令牌 凭证 凭据 口令 环境变量 助记词 对话内容 历史记录',
      ja: 'パスワード 秘密鍵 認証情報 資格情報 トークン キー 鍵 クッキー 環境変数 会話の内容',
      ko: '비밀번호 암호 비밀 키 토큰 자격 증명 인증 정보 쿠키 환경 변수 대화 내용',
    },
  ],
  [
    C.place,
    {
      en: 'kubeconfig* kube+config id_rsa id_dsa id_ecdsa id_ed25519 id+rsa id+dsa id+ecdsa id+ed25519 authorized_keys known_hosts dotenv mcp.json claude_desktop_config.json system+prompt conversation+history chat+history message+history chat+log previous+messages earlier+messages keyring* keystore*',
      es: 'prompt+del+sistema historial+de+la+conversación historial+del+chat',
      pt: 'prompt+do+sistema histórico+da+conversa histórico+do+chat',
      fr: 'prompt+système historique+de+la+conversation',
      de: 'systemprompt gesprächsverlauf chatverlauf',
      it: 'prompt+di+sistema cronologia+della+conversazione cronologia+della+chat',
      ru: 'системн*+промпт* истори*+переписк* истори*+чата истори*+диалог*',
      zh: '系统提示 聊天记录 对话记录 会话记录',
      ja: 'システムプロンプト 会話履歴 チャット履歴',
      ko: '시스템 프롬프트 대화 기록 채팅 기록',
    },
  ],
  [
    C.all,
    {
      en: 'all every each any whole entire full complete verbatim everything whatever',
      es: 'todo todos todas toda cada cualquier completo completa entero',
      pt: 'todo todos todas toda cada qualquer completo completa inteiro',
      fr: 'tout tous toute toutes chaque complet complète entier',
      de: 'alle alles aller jede jeden jeder jedes gesamt* vollständig* ganze*',
      it: 'tutto tutti tutte tutta ogni qualsiasi qualunque completo completa intero',
      ru: 'все всё всех весь вся каждый любой любые полност* целиком',
      zh: '所有 全部 一切 任何 完整 整个 每个 每次',
      ja: 'すべて 全て 全部 あらゆる 完全 全体',
      ko: '모든 전체 전부 모두 어떤',
    },
  ],
  [
    C.tool,
    {
      en: 'tool tools function functions server servers capability capabilities connector* plugin* integration* extension*',
      es: 'herramienta* función funciones servidor* capacidad* conector*',
      pt: 'ferramenta* função funções servidor* capacidade* conector*',
      fr: 'outil* fonction* serveur* capacité* connecteur*',
      de: 'werkzeug werkzeuge werkzeugen *werkzeug *werkzeuge *werkzeugen funktion funktionen fähigkeit fähigkeiten konnektor',
      it: 'strument* funzion* server capacità connettor*',
      ru: 'инструмент* функци* сервер* возможност* коннектор*',
      zh: '工具 函数 服务器 能力 插件 连接器',
      ja: 'ツール 関数 サーバー 機能 コネクタ',
      ko: '도구 툴 함수 서버 기능 커넥터',
    },
  ],
  [
    C.other,
    {
      en: 'other others another whatever whichever any+other every+other',
      es: 'otra otras otro otros cualquier',
      pt: 'outra outras outro outros qualquer',
      fr: 'autre autres quelconque',
      de: 'andere anderen anderer anderes beliebig* jedes+verfügbare',
      it: 'altro altri altra altre qualsiasi',
      ru: 'друг* любой любые любым',
      zh: '其他 其它 别的 任何',
      ja: '他の ほかの 別の',
      ko: '다른',
    },
  ],
  [
    C.recipient,
    {
      en: 'bcc cc recipient recipients destination payee addressee',
      es: 'destinatari* copia+oculta cco cuenta+de+destino',
      pt: 'destinatári* cópia+oculta cco conta+de+destino',
      fr: 'destinataire* copie+cachée cci',
      de: 'empfänger* bcc blindkopie',
      it: 'destinatari* ccn',
      ru: 'получател* адресат* копи*',
      zh: '收件人 密送 抄送 收款人',
      ja: '宛先 受信者',
      ko: '수신자 숨은 참조',
    },
  ],
  [
    C.replace,
    {
      en: 'replace* change* redirect* swap* reroute* route* switch+to set',
      es: 'reemplaza* cambia* redirige* sustituye* en+lugar',
      pt: 'substitu* troque* troca* redirecion* em+vez',
      fr: 'remplac* chang* redirig* au+lieu',
      de: 'ersetz* änder* umleit* statt anstatt',
      it: 'sostituisci* cambia* reindirizza* invece imposta impostare',
      ru: 'замени* замен* измени* перенаправ* вместо',
      zh: '替换 更改 改为 重定向 改成',
      ja: '置き換え 変更 代わりに',
      ko: '바꾸 변경 대신',
    },
  ],
  [
    C.ignore,
    {
      en: 'ignore ignoring disregard disregarding forget override overrides bypass overrule supersede supersedes precedence not+apply longer+apply switched+off turned+off disabled',
      es: 'ignora ignorar olvida olvidar',
      pt: 'ignore ignorar ignora esqueça esquecer desconsidere',
      fr: 'ignore ignorez ignorer oublie oubliez oublier outrepasse',
      de: 'ignorier* vergiss vergessen missachte*',
      it: 'ignora ignorare dimentica dimenticare',
      ru: 'игнорир* забудь забыть пренебре*',
      zh: '忽略 忽视 无视 忘记 忘掉',
      ja: '無視 忘れ',
      ko: '무시 잊',
    },
  ],
  [
    C.prior,
    {
      en: 'previous previously prior earlier above former original initial preceding old existing before told given',
      es: 'anterior anteriores previo previa previos previas original originales',
      pt: 'anterior anteriores prévio prévia prévios prévias original originais',
      fr: 'précédent précédente précédentes précédents antérieur antérieures initiales initiaux originale originales',
      de: 'vorherig* bisherig* früher* ursprünglich* obige*',
      it: 'precedente precedenti originali',
      ru: 'предыдущ* прежн* ранее раньше исходн*',
      zh: '之前 以前 先前 此前 原来 原有',
      ja: '以前 これまで 前の 元の',
      ko: '이전 예전 기존',
    },
  ],
  [
    C.rules,
    {
      en: 'instruction instructions rule rules guideline* guidance guardrail* constraint* directive* programming system+prompt safety+settings content+policy new+role new+persona new+identity pretend+you+are',
      es: 'instrucci* regla* directriz* restriccion*',
      pt: 'instruç* regra* diretriz* restriç*',
      fr: 'instruction* consigne* règle* directive* contrainte*',
      de: 'anweisung* regel* richtlinien vorgabe* einschränkung*',
      it: 'istruzion* regol* linee+guida vincol*',
      ru: 'инструкци* правил* указани* ограничени*',
      zh: '指令 指示 规则 约束 限制',
      ja: '指示 ルール 規則 制約',
      ko: '지시 규칙 명령 제약',
    },
  ],
  [
    C.now,
    {
      en: 'from+now+on from+here+on from+this+point+on henceforth no+longer starting+now new+system+prompt new+instructions new+rules new+role new+persona new+identity you+are+now pretend+you+are',
      es: 'a+partir+de+ahora de+ahora+en+adelante ya+no',
      pt: 'de+agora+em+diante a+partir+de+agora não+mais',
      fr: 'à+partir+de+maintenant désormais dorénavant maintenant',
      de: 'ab+jetzt von+nun+an ab+sofort nicht+mehr',
      it: "d'ora+in+poi da+ora+in+poi non+più",
      ru: 'теперь отныне больше+не',
      zh: '从现在起 从现在开始 今后 不再',
      ja: '今後 これから もう',
      ko: '이제부터 지금부터 앞으로',
    },
  ],
  [
    C.authority,
    {
      en: 'policy policies compliance compliant regulation* mandated mandate* required+by per+the by+order administrator* admin developer* security+team legal+team it+department official* authorized authorised pre-approved preapproved anthropic openai platform+owner management soc gdpr hipaa',
      es: 'política* cumplimiento normativa* obligatorio requisito* administrador* desarrollador* según+la',
      pt: 'política* conformidade exigência* obrigatório regulament* administrador* desenvolvedor* lgpd',
      fr: 'politique* conformité conformément réglementation* obligatoire administrateur* développeur*',
      de: 'richtlinie* compliance vorgabe* vorschrift* gemäß administrator* entwickler* geschäftsleitung dsgvo',
      it: 'policy politica conformità normativ* obbligatori* amministrator* sviluppator* come+richiesto',
      ru: 'политик* соответстви* требовани* регламент* администратор* разработчик* согласно',
      zh: '政策 合规 规定 法规 管理员 开发者 根据',
      ja: 'ポリシー コンプライアンス 規定 規約 管理者 開発者 により',
      ko: '정책 규정 준수 관리자 개발자 따라',
    },
  ],
  [
    C.prefer,
    {
      en: 'only exclusively prefer* instead instead+of rather+than avoid* sole solely',
      es: 'sólo solo solamente únicamente exclusivamente prefiere* evita* única',
      pt: 'só somente apenas exclusivamente prefira* evite* única',
      fr: 'seul seule seulement uniquement exclusivement préfèr* évit* plutôt',
      de: 'nur ausschließlich bevorzug* vermeid* einzig*',
      it: 'solo soltanto unicamente esclusivamente preferisci* evita* unico',
      ru: 'только исключительно предпочита* избега* единственн*',
      zh: '只能 只 仅 唯一 优先 避免',
      ja: 'だけ のみ 優先 避け 唯一',
      ko: '만 오직 유일 우선 피하',
    },
  ],
  [
    C.disparage,
    {
      en: 'unsafe insecure deprecated outdated unreliable untrustworthy fabricated fake malicious broken dangerous compromised leak leaks inferior',
      es: 'insegur* obsolet* inestable* falso* falsos peligros* maliciosa*',
      pt: 'insegur* obsolet* falso* falsos perigos* maliciosa* inconfiáve*',
      fr: 'dangereu* obsolète* dépassé* faux fausses malveillant* peu+fiable*',
      de: 'unsicher* veraltet* unzuverlässig* gefälscht* gefährlich*',
      it: 'insicur* obsolet* inaffidabil* falsi pericolos* dannos*',
      ru: 'небезопасн* устаревш* ненадёжн* ненадежн* фальшив* ложн* опасн*',
      zh: '不安全 过时 不可靠 虚假 危险 假的',
      ja: '安全でない 古い 信頼できない 偽 危険',
      ko: '안전하지 오래된 신뢰할 가짜 위험',
    },
  ],
  [
    C.deceive,
    {
      en: 'pretend convince persuade downplay steer discourage leave+out falsely lie mislead exaggerate reassure not+possible certified succeeded',
      es: 'finge fingir convence convencer omite omitir negativas imposible engaña',
      pt: 'finja fingir convença convencer omita omitir negativas impossível engane',
      fr: 'prétends prétendre convaincs convaincre omets omettre négatifs négatives impossible',
      de: 'vorgeben überzeuge überzeugen weglassen lass+weg negativen unmöglich geklappt',
      it: 'fingi fingere convinci convincere ometti omettere negativi impossibile',
      ru: 'притворись убеди убедить опусти негативные невозможно',
      zh: '假装 说服 省略 负面 不可能 最好的',
      ja: '偽っ 省略 否定的 成功したと',
      ko: '빼고 부정적 설득 최고의',
    },
  ],
  [
    C.despite,
    {
      en: 'even+if regardless no+matter anyway whatever+the+user+says',
      es: 'aunque incluso+si',
      pt: 'mesmo+que ainda+que',
      fr: 'même+si quand+même',
      de: 'auch+wenn selbst+wenn',
      it: 'anche+se',
      ru: 'даже+если',
      zh: '即使 即便',
      ja: 'たとえ しても',
      ko: '하더라도 해도',
    },
  ],
  [
    C.use,
    {
      en: 'use uses using call calls calling invoke* run runs execute* utilize* choose',
      es: 'usa usar utiliza utilices utilizar llamar invoca invocar ejecuta ejecutar',
      pt: 'use usar utiliz* chame chamar invoque* execut*',
      fr: 'utilis* appell* appel* invoqu* exécut*',
      de: 'verwend* benutz* nutze* ruf* aufruf* führ*+aus ausführ*',
      it: 'usa usare utilizza utilizzare chiama chiamare invoca invocare esegui eseguire',
      ru: 'используй* использ* вызови* вызыва* запусти* выполни*',
      zh: '使用 调用 运行 执行',
      ja: '使用 使っ 使う 使わ 呼び出 実行',
      ko: '사용 호출 실행',
    },
  ],
  [
    C.passive,
    {
      en: 'passed included sent put attached pasted copied provided supplied forwarded uploaded appended added inserted shared submitted embedded placed filled posted transmitted reported leaked mirrored emailed mailed',
    },
  ],
  [
    C.capability,
    {
      en: 'email e-mail mail messaging message messages shell terminal browser payment* banking transfer* calendar sms chat slack file-reading',
      es: 'correo* mensaje* terminal navegador pago* transferencia* calendario',
      pt: 'e-mail correio mensage* terminal navegador pagamento* transferência* calendário',
      fr: 'courriel* mail message* terminal navigateur paiement* virement* calendrier',
      de: 'e-mail* mail* nachricht* terminal browser zahlung* überweisung* kalender',
      it: 'email posta messaggi* terminale browser pagament* bonific* calendario',
      ru: 'почт* письм* сообщени* терминал* браузер* платеж* платёж* перевод* календар*',
      zh: '邮件 消息 终端 浏览器 支付 转账 日历 命令',
      ja: 'メール メッセージ ターミナル ブラウザ 支払 送金 カレンダー コマンド',
      ko: '메일 메시지 터미널 브라우저 결제 송금 캘린더 명령',
    },
  ],
  [
    C.notAfter,
    {
      de: 'nicht nie niemals keine kein keinen',
      ja: 'ないで ないように しないで せずに ずに',
      ko: '마세요 말고 말 않',
    },
  ],
  [
    C.field,
    {
      en: 'field parameter param argument here',
      es: 'campo parámetro argumento aquí',
      pt: 'campo parâmetro argumento aqui',
      fr: 'champ paramètre argument ici',
      de: 'feld parameter argument hier',
      it: 'campo parametro argomento qui',
      ru: 'поле поля параметр* аргумент* сюда здесь',
      zh: '字段 参数 这里',
      ja: 'フィールド パラメータ 引数 ここ',
      ko: '필드 매개변수 인수 파라미터 여기',
    },
  ],
];

/** Languages written without spaces between words: their entries are found anywhere in a run. */
const UNSPACED = new Set(['zh', 'ja', 'ko']);

/** A word or phrase of the lexicon, compiled. */
export interface LexiconEntry {
  /** The words in a row, lower case; the last may be a stem. */
  words: string[];
  /** Whether the last word is a stem (`*`). */
  stem: boolean;
  concepts: number;
}

/** Entries by their first word (exact), and stems by their first three letters. */
export interface Lexicon {
  exact: Map<string, LexiconEntry[]>;
  stems: Map<string, LexiconEntry[]>;
  /** One-word endings (German compounds: "*werkzeug" is "Suchwerkzeug"), by their last three letters. */
  endings: Map<string, LexiconEntry[]>;
  /** Entries of unspaced languages, found as substrings, by their first character. */
  unspaced: Map<string, Array<{ text: string; concepts: number }>>;
}

function compile(): Lexicon {
  const lexicon: Lexicon = { exact: new Map(), stems: new Map(), endings: new Map(), unspaced: new Map() };
  const add = (spelled: string, concepts: number, unspaced: boolean) => {
    if (unspaced) {
      const text = spelled.replace(/\+/g, '').toLowerCase();
      const list = lexicon.unspaced.get(text.charAt(0)) ?? [];
      list.push({ text, concepts });
      lexicon.unspaced.set(text.charAt(0), list);
      return;
    }
    if (spelled.startsWith('*')) {
      const ending = spelled.slice(1).toLowerCase();
      const key = ending.slice(-3);
      lexicon.endings.set(key, [
        ...(lexicon.endings.get(key) ?? []),
        { words: [ending], stem: false, concepts },
      ]);
      return;
    }
    const stem = spelled.endsWith('*');
    const words = (stem ? spelled.slice(0, -1) : spelled)
      .toLowerCase()
      .split(/[+\-'’]/)
      .filter(Boolean);
    if (words.length === 0) return;
    const entry: LexiconEntry = { words, stem, concepts };
    // A one-word stem is looked up by its first three letters; every other entry by its first word.
    const index = stem && words.length === 1 ? lexicon.stems : lexicon.exact;
    const key = stem && words.length === 1 ? words[0]!.slice(0, 3) : words[0]!;
    const list = index.get(key) ?? [];
    // The same word in two languages, or in two concepts, is one entry with both concepts.
    const same = list.find((other) => other.stem === stem && other.words.join(' ') === words.join(' '));
    if (same) same.concepts |= concepts;
    else index.set(key, [...list, entry]);
  };
  for (const [concepts, languages] of LEXICON)
    for (const [language, words] of Object.entries(languages))
      for (const word of words.split(' ').filter(Boolean)) add(word, concepts, UNSPACED.has(language));
  return lexicon;
}

let compiled: Lexicon | undefined;

/** The compiled lexicon, compiled on the first call (an idle engine never needs it) and kept. */
export function lexiconIndex(): Lexicon {
  compiled ??= compile();
  return compiled;
}
