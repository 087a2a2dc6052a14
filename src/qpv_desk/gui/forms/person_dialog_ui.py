# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'person_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QLabel,
    QLineEdit, QPlainTextEdit, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_PersonDialog(object):
    def setupUi(self, PersonDialog):
        if not PersonDialog.objectName():
            PersonDialog.setObjectName(u"PersonDialog")
        PersonDialog.resize(520, 520)
        self.mainLayout = QVBoxLayout(PersonDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.civilityLabel = QLabel(PersonDialog)
        self.civilityLabel.setObjectName(u"civilityLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.civilityLabel)

        self.civility = QComboBox(PersonDialog)
        self.civility.setObjectName(u"civility")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.civility)

        self.firstNameLabel = QLabel(PersonDialog)
        self.firstNameLabel.setObjectName(u"firstNameLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.firstNameLabel)

        self.first_name = QLineEdit(PersonDialog)
        self.first_name.setObjectName(u"first_name")
        self.first_name.setMaxLength(100)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.first_name)

        self.lastNameLabel = QLabel(PersonDialog)
        self.lastNameLabel.setObjectName(u"lastNameLabel")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.lastNameLabel)

        self.last_name = QLineEdit(PersonDialog)
        self.last_name.setObjectName(u"last_name")
        self.last_name.setMaxLength(100)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.last_name)

        self.functionLabel = QLabel(PersonDialog)
        self.functionLabel.setObjectName(u"functionLabel")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.functionLabel)

        self.function = QLineEdit(PersonDialog)
        self.function.setObjectName(u"function")
        self.function.setMaxLength(200)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.function)

        self.organisationLabel = QLabel(PersonDialog)
        self.organisationLabel.setObjectName(u"organisationLabel")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.organisationLabel)

        self.organisation = QComboBox(PersonDialog)
        self.organisation.setObjectName(u"organisation")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.organisation)

        self.emailLabel = QLabel(PersonDialog)
        self.emailLabel.setObjectName(u"emailLabel")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.email = QLineEdit(PersonDialog)
        self.email.setObjectName(u"email")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.email)

        self.phoneLabel = QLabel(PersonDialog)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phone = QLineEdit(PersonDialog)
        self.phone.setObjectName(u"phone")

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.phone)

        self.notesLabel = QLabel(PersonDialog)
        self.notesLabel.setObjectName(u"notesLabel")

        self.form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.notesLabel)

        self.notes = QPlainTextEdit(PersonDialog)
        self.notes.setObjectName(u"notes")
        self.notes.setTabChangesFocus(True)

        self.form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.notes)

        self.active = QCheckBox(PersonDialog)
        self.active.setObjectName(u"active")
        self.active.setChecked(True)

        self.form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.active)


        self.mainLayout.addLayout(self.form)

        self.errorSummary = QLabel(PersonDialog)
        self.errorSummary.setObjectName(u"errorSummary")
        self.errorSummary.setWordWrap(True)

        self.mainLayout.addWidget(self.errorSummary)

        self.buttonBox = QDialogButtonBox(PersonDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.civilityLabel.setBuddy(self.civility)
        self.firstNameLabel.setBuddy(self.first_name)
        self.lastNameLabel.setBuddy(self.last_name)
        self.functionLabel.setBuddy(self.function)
        self.organisationLabel.setBuddy(self.organisation)
        self.emailLabel.setBuddy(self.email)
        self.phoneLabel.setBuddy(self.phone)
        self.notesLabel.setBuddy(self.notes)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.civility, self.first_name)
        QWidget.setTabOrder(self.first_name, self.last_name)
        QWidget.setTabOrder(self.last_name, self.function)
        QWidget.setTabOrder(self.function, self.organisation)
        QWidget.setTabOrder(self.organisation, self.email)
        QWidget.setTabOrder(self.email, self.phone)
        QWidget.setTabOrder(self.phone, self.notes)
        QWidget.setTabOrder(self.notes, self.active)

        self.retranslateUi(PersonDialog)

        QMetaObject.connectSlotsByName(PersonDialog)
    # setupUi

    def retranslateUi(self, PersonDialog):
        PersonDialog.setWindowTitle(QCoreApplication.translate("PersonDialog", u"Contact", None))
        self.civilityLabel.setText(QCoreApplication.translate("PersonDialog", u"C&ivilit\u00e9", None))
        self.firstNameLabel.setText(QCoreApplication.translate("PersonDialog", u"&Pr\u00e9nom", None))
        self.lastNameLabel.setText(QCoreApplication.translate("PersonDialog", u"&Nom *", None))
        self.functionLabel.setText(QCoreApplication.translate("PersonDialog", u"&Fonction", None))
        self.organisationLabel.setText(QCoreApplication.translate("PersonDialog", u"&Organisation", None))
        self.emailLabel.setText(QCoreApplication.translate("PersonDialog", u"&Courriel", None))
        self.phoneLabel.setText(QCoreApplication.translate("PersonDialog", u"&T\u00e9l\u00e9phone", None))
        self.notesLabel.setText(QCoreApplication.translate("PersonDialog", u"N&otes", None))
        self.active.setText(QCoreApplication.translate("PersonDialog", u"Contact actif", None))
    # retranslateUi

